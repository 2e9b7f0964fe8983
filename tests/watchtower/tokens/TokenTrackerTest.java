package watchtower.tokens;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static watchtower.tokens.TokenFixtures.assistant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenTrackerTest {
    @TempDir
    Path dir;

    @Test
    void sessionsAreCountedApart() throws Exception {
        var a = Files.write(dir.resolve("a.jsonl"), List.of(assistant("m", "r", "claude-opus-5-5", 1, 1, 1, 1)), UTF_8);
        var b = Files.write(dir.resolve("b.jsonl"), List.of(assistant("m", "r", "claude-opus-5-5", 2, 2, 2, 2)), UTF_8);
        var tracker = new TokenTracker();
        assertEquals(new Usage(1, 1, 1, 1), tracker.update("s1", a, Pricing.defaults()).total());
        assertEquals(new Usage(2, 2, 2, 2), tracker.update("s2", b, Pricing.defaults()).total());
        assertEquals(new Usage(1, 1, 1, 1), tracker.update("s1", a, Pricing.defaults()).total());
    }

    @Test
    void boundedAndAnEvictedSessionIsRecountedRight() throws Exception {
        var tracker = new TokenTracker(2);
        var files = new Path[3];
        for (int i = 0; i < 3; i++) {
            files[i] = Files.write(dir.resolve(i + ".jsonl"), List.of(assistant("m", "r", "claude-opus-5-5", i + 1, 0, 0, 0)), UTF_8);
            tracker.update("s" + i, files[i], Pricing.defaults());
        }
        assertEquals(2, tracker.size(), "the least recently updated session was forgotten");
        assertEquals(new Usage(1, 0, 0, 0), tracker.update("s0", files[0], Pricing.defaults()).total(),
                "read again from the start: the same total, not zero, not double");
        tracker.forget("s0");
        assertEquals(1, tracker.size());
    }
}
