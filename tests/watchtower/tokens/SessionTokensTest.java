package watchtower.tokens;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.tokens.TokenFixtures.JSON;
import static watchtower.tokens.TokenFixtures.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTokensTest {
    static final String OPUS = "claude-opus-5-5";

    @TempDir
    Path dir;

    @Test
    void sampleTotalsEqualAnIndependentCount() throws Exception {
        var transcript = Files.copy(TokenFixtures.transcriptSample(), dir.resolve("s.jsonl"));
        var totals = new SessionTokens().update(transcript);
        assertEquals(independentCount(List.of(transcript)), totals.byModel());
        // the sample: two responses of (1111 in, 44 out, 2222 cache write, 3333 cache read)
        assertEquals(new Usage(2222, 88, 4444, 6666), totals.total());
        assertEquals(2222 + 4444 + 6666, totals.inputTokensWithCache());
        assertEquals(88, totals.outputTokens());
    }

    @Test
    void duplicatedLinesAreNotDoubleCounted() throws Exception {
        var lines = Files.readAllLines(TokenFixtures.transcriptSample(), UTF_8);
        var doubled = new ArrayList<String>();
        for (var l : lines) {
            doubled.add(l);
            if (l.contains("\"type\": \"assistant\"") || l.contains("\"type\":\"assistant\"")) doubled.add(l);
        }
        var transcript = Files.write(dir.resolve("d.jsonl"), doubled, UTF_8);
        assertTrue(doubled.size() > lines.size(), "the copy has repeats");
        assertEquals(new Usage(2222, 88, 4444, 6666), new SessionTokens().update(transcript).total());
        assertEquals(independentCount(List.of(transcript)), new SessionTokens().update(transcript).byModel());
    }

    @Test
    void subagentTranscriptsAreIncluded() throws Exception {
        var transcript = Files.copy(TokenFixtures.transcriptSample(), dir.resolve("7fd0.jsonl"));
        var agents = Files.createDirectories(dir.resolve("7fd0/subagents"));
        var a1 = Files.write(agents.resolve("agent-a1.jsonl"), List.of(
                assistant("msg_a1", "req_a1", OPUS, 5, 6, 7, 8),
                assistant("msg_a1", "req_a1", OPUS, 5, 9, 7, 8)), UTF_8);
        var a2 = Files.write(agents.resolve("agent-a2.jsonl"), List.of(
                assistant("msg_a2", "req_a2", "claude-haiku-4-5", 1, 1, 1, 1)), UTF_8);
        Files.writeString(agents.resolve("agent-a1.meta.json"), "{\"usage\":{\"input_tokens\":999}}", UTF_8); // not a transcript

        var totals = new SessionTokens().update(transcript);
        assertEquals(independentCount(List.of(transcript, a1, a2)), totals.byModel());
        assertEquals(new Usage(2222 + 5 + 1, 88 + 9 + 1, 4444 + 7 + 1, 6666 + 8 + 1), totals.total());
    }

    @Test
    void aSubagentThatAppearsLaterIsPickedUp() throws Exception {
        var transcript = Files.copy(TokenFixtures.transcriptSample(), dir.resolve("s.jsonl"));
        var session = new SessionTokens();
        session.update(transcript);
        var agents = Files.createDirectories(dir.resolve("s/subagents"));
        Files.write(agents.resolve("agent-x.jsonl"), List.of(assistant("m", "r", OPUS, 1, 0, 0, 0)), UTF_8);
        assertEquals(2222 + 1, session.update(transcript).total().input());
    }

    @Test
    void compactionTranscriptCountsEveryResponseOnce() throws Exception {
        // before /compact: two responses; the boundary; the preserved tail written again (same ids);
        // after: a new response. Built from the sample's own lines.
        var sample = Files.readAllLines(TokenFixtures.transcriptSample(), UTF_8);
        var boundary = sample.stream().filter(l -> l.contains("compact_boundary")).findFirst().orElseThrow();
        var a = assistant("msg_a", "req_a", OPUS, 100, 10, 1000, 0);
        var b = assistant("msg_b", "req_b", OPUS, 100, 20, 0, 1000);
        var c = assistant("msg_c", "req_c", OPUS, 50, 5, 500, 0);
        var transcript = Files.write(dir.resolve("c.jsonl"),
                List.of(TokenFixtures.userLine(), a, b, boundary, TokenFixtures.userLine(), b, c), UTF_8);

        var totals = new SessionTokens().update(transcript);
        assertEquals(new Usage(250, 35, 1500, 1000), totals.total());
        assertEquals(independentCount(List.of(transcript)), totals.byModel());
    }

    @Test
    void aTranscriptThatGrowsWhileReadIsCountedOnceAndFully() throws Exception {
        var transcript = dir.resolve("g.jsonl");
        var line = assistant("msg_g", "req_g", OPUS, 7, 8, 9, 10);
        int half = line.length() / 2;
        Files.writeString(transcript, assistant("msg_0", "req_0", OPUS, 1, 1, 1, 1) + "\n" + line.substring(0, half),
                UTF_8);
        var session = new SessionTokens();
        assertEquals(new Usage(1, 1, 1, 1), session.update(transcript).total(), "the half line is not counted yet");
        Files.writeString(transcript, line.substring(half) + "\n", UTF_8, StandardOpenOption.APPEND);
        assertEquals(new Usage(8, 9, 10, 11), session.update(transcript).total());
        assertEquals(new Usage(8, 9, 10, 11), session.update(transcript).total(), "and not again");
    }

    @Test
    void truncatedOrReplacedTranscriptIsRecountedNotAdded() throws Exception {
        var transcript = Files.write(dir.resolve("t.jsonl"), List.of(
                assistant("m1", "r1", OPUS, 10, 10, 10, 10), assistant("m2", "r2", OPUS, 10, 10, 10, 10)), UTF_8);
        var session = new SessionTokens();
        assertEquals(20, session.update(transcript).total().input());
        Files.write(transcript, List.of(assistant("m3", "r3", OPUS, 3, 3, 3, 3)), UTF_8); // shorter
        assertEquals(new Usage(3, 3, 3, 3), session.update(transcript).total());
    }

    @Test
    void aSessionCanMoveToANewTranscriptAndKeepsTheOldOnesCount() throws Exception {
        var first = Files.write(dir.resolve("one.jsonl"), List.of(assistant("m1", "r1", OPUS, 10, 1, 0, 0)), UTF_8);
        var second = Files.write(dir.resolve("two.jsonl"), List.of(assistant("m2", "r2", OPUS, 5, 1, 0, 0)), UTF_8);
        var session = new SessionTokens();
        session.update(first);
        assertEquals(new Usage(15, 2, 0, 0), session.update(second).total());
    }

    @Test
    void costIsPricedPerModelAndEmptyWhenAModelIsUnpriced() throws Exception {
        var transcript = Files.write(dir.resolve("p.jsonl"), List.of(
                assistant("m1", "r1", OPUS, 1_000_000, 1_000_000, 1_000_000, 1_000_000)), UTF_8);
        var session = new SessionTokens();
        // opus family default: 5 + 25 + 6.25 + 0.50 per million each
        assertEquals(0, new BigDecimal("36.75").compareTo(session.update(transcript).costUsd().orElseThrow()));
        Files.write(transcript, List.of(assistant("m2", "r2", "mystery-model-1", 10, 10, 0, 0)),
                UTF_8, StandardOpenOption.APPEND);
        var totals = session.update(transcript);
        assertTrue(totals.costUsd().isEmpty(), "one unpriced model with tokens: no total cost");
        assertEquals(new Usage(10, 10, 0, 0), totals.byModel().get("mystery-model-1"), "its tokens still count");
    }

    @Test
    void concurrentUpdatesOfOneSessionCountOnce() throws Exception {
        var transcript = dir.resolve("c.jsonl");
        var lines = new ArrayList<String>();
        for (int i = 0; i < 200; i++) lines.add(assistant("m" + i, "r" + i, OPUS, 1, 1, 1, 1));
        Files.write(transcript, lines, UTF_8);
        var session = new SessionTokens();
        var pool = Executors.newFixedThreadPool(4);
        try {
            var futures = new ArrayList<Future<Totals>>();
            Callable<Totals> update = () -> session.update(transcript);
            for (int i = 0; i < 16; i++) futures.add(pool.submit(update));
            for (var f : futures) assertEquals(new Usage(200, 200, 200, 200), f.get(10, TimeUnit.SECONDS).total());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    // --- infra ---

    /**
     * The independent count: every assistant line of every file, grouped by (file, message.id,
     * requestId), the per-field maximum of each group, summed per model. Jackson trees and
     * streams; nothing from the tokens package but the Usage record.
     */
    static Map<String, Usage> independentCount(List<Path> files) throws Exception {
        record Line(String file, String id, String req, String model, long in, long out, long cw, long cr) {}
        var all = new ArrayList<Line>();
        for (var f : files) {
            for (var text : Files.readAllLines(f, UTF_8)) {
                JsonNode n;
                try {
                    n = JSON.readTree(text);
                } catch (Exception e) {
                    continue;
                }
                if (n == null || !n.path("type").asText().equals("assistant") || !n.path("message").path("usage").isObject()) continue;
                var u = n.path("message").path("usage");
                all.add(new Line(f.toString(), n.path("message").path("id").asText(), n.path("requestId").asText(),
                        n.path("message").path("model").asText(), u.path("input_tokens").asLong(),
                        u.path("output_tokens").asLong(), u.path("cache_creation_input_tokens").asLong(),
                        u.path("cache_read_input_tokens").asLong()));
            }
        }
        var groups = all.stream().collect(groupingBy(l -> List.of(l.file(), l.id(), l.req()), toList()));
        var out = new TreeMap<String, Usage>();
        groups.values().forEach(g -> {
            var max = new Usage(
                    g.stream().mapToLong(Line::in).max().orElse(0), g.stream().mapToLong(Line::out).max().orElse(0),
                    g.stream().mapToLong(Line::cw).max().orElse(0), g.stream().mapToLong(Line::cr).max().orElse(0));
            out.merge(g.get(0).model(), max, Usage::plus);
        });
        return out;
    }
}
