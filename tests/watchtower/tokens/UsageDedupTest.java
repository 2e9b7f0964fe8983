package watchtower.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static watchtower.tokens.TokenFixtures.assistant;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageDedupTest {
    static final String OPUS = "claude-opus-5-5";

    @Test
    void repeatedLinesOfOneResponseCountOnce() throws Exception {
        var d = new UsageDedup();
        var line = assistant("msg_1", "req_1", OPUS, 10, 5, 100, 1000);
        d.accept(line);
        d.accept(line);
        d.accept(line);
        assertEquals(Map.of(OPUS, new Usage(10, 5, 100, 1000)), d.byModel());
    }

    @Test
    void aLaterLineThatRaisesOutputAddsOnlyTheDifference() throws Exception {
        var d = new UsageDedup();
        d.accept(assistant("msg_1", "req_1", OPUS, 10, 1, 100, 1000)); // first content block, stream still going
        d.accept(assistant("msg_2", "req_2", OPUS, 1, 1, 1, 1));
        d.accept(assistant("msg_1", "req_1", OPUS, 10, 44, 100, 1000)); // final output_tokens
        d.accept(assistant("msg_1", "req_1", OPUS, 10, 30, 100, 1000)); // a smaller repeat never lowers it
        assertEquals(Map.of(OPUS, new Usage(11, 45, 101, 1001)), d.byModel());
    }

    @Test
    void sameMessageIdWithAnotherRequestIsAnotherResponse() throws Exception {
        var d = new UsageDedup();
        d.accept(assistant("msg_1", "req_1", OPUS, 10, 1, 0, 0));
        d.accept(assistant("msg_1", "req_2", OPUS, 10, 1, 0, 0));
        assertEquals(new Usage(20, 2, 0, 0), d.byModel().get(OPUS));
    }

    @Test
    void modelsAreKeptApart() throws Exception {
        var d = new UsageDedup();
        d.accept(assistant("m1", "r1", OPUS, 1, 2, 3, 4));
        d.accept(assistant("m2", "r2", "claude-sonnet-5-5", 10, 20, 30, 40));
        assertEquals(Map.of(OPUS, new Usage(1, 2, 3, 4), "claude-sonnet-5-5", new Usage(10, 20, 30, 40)), d.byModel());
    }

    @Test
    void junkIsSkippedNeverThrown() throws Exception {
        var d = new UsageDedup();
        for (var junk : new String[] {"", "   ", "not json", "{\"usage\":", "[\"usage\"]", "null",
                "{\"type\":\"user\",\"message\":{\"usage\":{\"input_tokens\":5}}}",
                "{\"type\":\"assistant\",\"message\":\"usage\"}",
                "{\"type\":\"assistant\",\"message\":{\"usage\":\"none\"}}",
                "{\"type\":\"assistant\",\"usage\":{\"input_tokens\":5}}",
                TokenFixtures.userLine()}) {
            d.accept(junk);
        }
        assertEquals(Map.of(), d.byModel());
    }

    @Test
    void oddNumbersReadAsZeroAndAMissingModelIsUnknown() {
        var d = new UsageDedup();
        d.accept("{\"type\":\"assistant\",\"requestId\":\"r\",\"message\":{\"id\":\"m\",\"usage\":"
                + "{\"input_tokens\":-5,\"output_tokens\":\"7\",\"cache_read_input_tokens\":null,\"cache_creation_input_tokens\":3}}}");
        assertEquals(Map.of(UsageDedup.UNKNOWN_MODEL, new Usage(0, 0, 3, 0)), d.byModel());
    }

    @Test
    void linesWithoutIdsEachCount() {
        var d = new UsageDedup();
        var line = "{\"type\":\"assistant\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":2}}}";
        d.accept(line);
        d.accept(line);
        assertEquals(new Usage(4, 0, 0, 0), d.byModel().get("m"));
    }

    @Test
    void resetForgetsEverything() throws Exception {
        var d = new UsageDedup();
        var line = assistant("m", "r", OPUS, 1, 1, 1, 1);
        d.accept(line);
        d.reset();
        assertEquals(Map.of(), d.byModel());
        d.accept(line);
        assertEquals(new Usage(1, 1, 1, 1), d.byModel().get(OPUS), "after a reset the same response counts again");
    }
}
