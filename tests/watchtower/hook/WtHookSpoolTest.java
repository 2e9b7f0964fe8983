package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.hook.HookHarness.Sink;

/** The spool seen from outside: real wthook processes, a server that is down, hangs, or comes back. */
class WtHookSpoolTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void serverDownExitsZeroSilentlyAndSpoolsTheEvent() throws Exception {
        var env = env("http://127.0.0.1:" + HookHarness.closedPort());
        var run = HookHarness.run(env, HookHarness.fixture("PreToolUse.json"), dir.resolve("o1"), "send", "PreToolUse");
        run.assertSilentSuccess();
        var entries = spoolLines();
        assertEquals(1, entries.size());
        var entry = HookRequest.fromLine(entries.get(0)).orElseThrow();
        assertEquals("/events", entry.path());
        var body = JSON.readTree(entry.body());
        assertEquals("PreToolUse", body.get("event_type").asText());
        assertEquals(entry.id(), body.get("wt_event_id").asText(), "the spool id is the event id the server dedupes");
        assertTrue(Files.readString(dir.resolve("uvs/wthook.log"), UTF_8).contains("kept for later"));
    }

    @Test
    void serverBackDeliversSpoolThenCurrentInOrderExactlyOnce() throws Exception {
        int port = HookHarness.closedPort();
        var env = env("http://127.0.0.1:" + port);
        for (var type : List.of("A", "B")) {
            HookHarness.run(env, HookHarness.fixture("PreToolUse.json"), dir.resolve("o" + type), "send", type)
                    .assertSilentSuccess();
        }
        var spooledIds = new ArrayList<String>();
        for (var line : spoolLines()) spooledIds.add(HookRequest.fromLine(line).orElseThrow().id());
        assertEquals(2, spooledIds.size());

        try (var sink = Sink.startOn(port)) {
            HookHarness.run(env, HookHarness.fixture("PreToolUse.json"), dir.resolve("oC"), "send", "C")
                    .assertSilentSuccess();
            var got = sink.drain(); // the hook waits for each answer, so all of it has arrived
            assertEquals(List.of("A", "B", "C"), got.stream().map(r -> field(r.body(), "event_type")).toList());
            assertEquals(spooledIds, got.subList(0, 2).stream().map(r -> field(r.body(), "wt_event_id")).toList(),
                    "spooled events keep their ids");
            assertTrue(spoolLines().isEmpty(), "delivered entries leave the spool");

            HookHarness.run(env, null, dir.resolve("oF"), "flush").assertSilentSuccess();
            assertEquals(List.of(), sink.drain(), "nothing is sent twice");
        }
    }

    @Test
    void eightConcurrentHooksWithServerDownSpoolEightWholeLines() throws Exception {
        int port = HookHarness.closedPort();
        var env = env("http://127.0.0.1:" + port);
        // about interleaving, not time: 8 cold JVMs on a busy 2-core box can take seconds each
        env.put("WTHOOK_DEADLINE_MS", "20000");
        var processes = new ArrayList<Process>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            processes.add(HookHarness.start(env, HookHarness.fixture("PostToolUse--Agent.json"), dir.resolve("p" + i),
                    "send", "E" + i));
        }
        for (int i = 0; i < 8; i++) HookHarness.finish(processes.get(i), dir.resolve("p" + i), t0).assertSilentSuccess();

        var lines = spoolLines();
        assertEquals(8, lines.size());
        var types = new HashSet<String>();
        for (var line : lines) types.add(field(HookRequest.fromLine(line).orElseThrow().body(), "event_type"));
        assertEquals(8, types.size(), "every line is whole and distinct: " + types);

        try (var sink = Sink.startOn(port)) {
            HookHarness.run(env, null, dir.resolve("flush"), "flush").assertSilentSuccess();
            var got = sink.drain();
            assertEquals(8, got.size());
            var ids = new HashSet<String>();
            for (var r : got) ids.add(field(r.body(), "wt_event_id"));
            assertEquals(8, ids.size());
            assertTrue(spoolLines().isEmpty());
        }
    }

    @Test
    void serverThatNeverAnswersCostsAtMostTheDeadlineAndTheEventIsSpooled() throws Exception {
        try (var sink = Sink.start()) {
            sink.hang = true;
            var env = env(sink.url());
            env.put("WTHOOK_DEADLINE_MS", "800");
            var run = HookHarness.run(env, HookHarness.fixture("PreToolUse.json"), dir.resolve("o"), "send", "Hung");
            run.assertSilentSuccess();
            // 800 ms budget + JVM start-up (~0.2 s, more on a loaded 2-core box) + margin
            assertTrue(run.millis() < 800 + 1500, "took " + run.millis() + " ms");
            assertEquals(1, sink.drain().size(), "it was sent");
            assertEquals(1, spoolLines().size(), "and, unanswered, kept for later");
        }
    }

    @Test
    void tinyDeadlineStillLosesNothingItHadRead() throws Exception {
        try (var sink = Sink.start()) {
            var env = env(sink.url());
            env.put("WTHOOK_DEADLINE_MS", "100"); // less than the run needs: the watchdog's last will spools it
            HookHarness.run(env, HookHarness.fixture("Stop.json"), dir.resolve("o"), "send", "Stop").assertSilentSuccess();
            assertEquals(1, sink.drain().size() + spoolLines().size(), "delivered or spooled, never lost");
        }
    }

    @Test
    void watchdogEndsARunWhoseStdinNeverClosesWithExitZero() throws Exception {
        var env = env("http://127.0.0.1:" + HookHarness.closedPort());
        env.put("WTHOOK_DEADLINE_MS", "500");
        var cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "WtHook", "send", "Blocked");
        var pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("UVS_") || k.startsWith("CLAUDE") || k.startsWith("WTHOOK_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        var p = pb.start(); // stdin is a pipe we keep open: the read never ends
        try {
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the watchdog did not end the run");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(0, p.exitValue());
            assertEquals("", new String(p.getInputStream().readAllBytes(), UTF_8));
            // the budget, the most the watchdog may add (grace for a run still preparing), JVM start-up
            assertTrue(ms < 500 + Deadline.LAST_WILL_MS + 1500, "took " + ms + " ms");
        } finally {
            p.getOutputStream().close();
            p.destroyForcibly();
        }
    }

    @Test
    void spoolIsPrivateAndTheLogHoldsNoPayload() throws Exception {
        HookHarness.run(env("http://127.0.0.1:" + HookHarness.closedPort()), HookHarness.fixture("Stop.json"),
                dir.resolve("o"), "send", "Stop").assertSilentSuccess();
        var spoolDir = dir.resolve("uvs/spool");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(spoolDir)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(spoolDir.resolve("spool.jsonl"))));
        assertFalse(Files.readString(dir.resolve("uvs/wthook.log"), UTF_8).contains("Fake API"),
                "the log never holds payloads");
    }

    // --- infra ---

    private List<String> spoolLines() throws Exception {
        var file = dir.resolve("uvs/spool/spool.jsonl");
        return Files.exists(file) ? Files.readAllLines(file, UTF_8) : List.of();
    }

    private static String field(String json, String name) {
        try {
            return JSON.readTree(json).get(name).asText();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private Map<String, String> env(String url) throws Exception {
        var project = Files.createDirectories(dir.resolve("project"));
        var env = new HashMap<String, String>();
        env.put("UVS_WATCHTOWER_URL", url);
        env.put("UVS_HOME", dir.resolve("uvs").toString());
        env.put("UVS_SESSION_ID", "s-1");
        env.put("CLAUDE_PROJECT_DIR", project.toString());
        env.put("HOME", dir.toString());
        return env;
    }
}
