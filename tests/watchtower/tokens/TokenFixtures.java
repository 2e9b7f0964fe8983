package watchtower.tokens;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real transcript sample, and assistant lines shaped like it with chosen ids and usage. */
final class TokenFixtures {
    private TokenFixtures() {}

    static final ObjectMapper JSON = new ObjectMapper();

    static Path transcriptSample() {
        for (var candidate : List.of(
                System.getenv().getOrDefault("WT_FIXTURES", ""),
                "tests/fixtures/claude-code",
                "/work/shared/fixtures/claude-code")) {
            if (candidate.isEmpty()) continue;
            var p = Path.of(candidate, "transcript-sample.jsonl");
            if (Files.isRegularFile(p)) return p;
        }
        return fail("transcript-sample.jsonl not found (set WT_FIXTURES)");
    }

    /** The sample's first assistant line, as a template. */
    static ObjectNode assistantTemplate() throws Exception {
        for (var line : Files.readAllLines(transcriptSample())) {
            var node = JSON.readTree(line);
            if ("assistant".equals(node.path("type").asText())) return (ObjectNode) node;
        }
        return fail("the sample has no assistant line");
    }

    /** An assistant line like the sample's, with these ids, model and usage. */
    static String assistant(String messageId, String requestId, String model, long in, long out, long cacheWrite,
                            long cacheRead) throws Exception {
        var node = assistantTemplate().deepCopy();
        var message = (ObjectNode) node.get("message");
        message.put("id", messageId);
        message.put("model", model);
        var usage = (ObjectNode) message.get("usage");
        usage.put("input_tokens", in);
        usage.put("output_tokens", out);
        usage.put("cache_creation_input_tokens", cacheWrite);
        usage.put("cache_read_input_tokens", cacheRead);
        node.put("requestId", requestId);
        var line = JSON.writeValueAsString(node);
        assertTrue(!line.contains("\n"));
        return line;
    }

    /** A non-assistant line of the sample (a user line), for realistic noise. */
    static String userLine() throws Exception {
        for (var line : Files.readAllLines(transcriptSample())) {
            if ("user".equals(JSON.readTree(line).path("type").asText())) return line;
        }
        return fail("the sample has no user line");
    }
}
