package watchtower.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.ServerProcess;

/** What a real server process does with its data when it dies or is told to stop. */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesKill9DuringABurst() throws Exception {
        var db = dir.resolve("wt.db");
        var acked = ConcurrentHashMap.<String>newKeySet();
        var stop = new AtomicBoolean();
        var enough = new CountDownLatch(300);
        try (var server = ServerProcess.start(dir.resolve("uvs"), db)) {
            var api = new Api(server.url(), null);
            var pool = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; !stop.get() && i < 100_000; i++) {
                        var uid = "t" + thread + "-" + i;
                        try {
                            var r = api.post("/events", obj("session_id", "s" + thread, "event_type", "PostToolUse",
                                    "tool_name", "Bash", "wt_event_id", uid));
                            if (r.status() == 200) {
                                acked.add(uid);
                                enough.countDown();
                            }
                        } catch (AssertionError connectionLost) {
                            return; // the server is gone: this request was never acknowledged
                        }
                    }
                });
            }
            assertTrue(enough.await(30, TimeUnit.SECONDS), "300 events acknowledged");
            server.kill9();
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        }
        var stored = storedUids(db);
        var missing = new HashSet<>(acked);
        missing.removeAll(stored);
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged events lost, e.g. " + missing.stream().limit(5).toList());
        assertTrue(acked.size() >= 300);
    }

    @Test
    void sigtermClosesTheDatabaseCleanlyAndAReopenSeesEverything() throws Exception {
        var db = dir.resolve("wt.db");
        try (var server = ServerProcess.start(dir.resolve("uvs"), db)) {
            var api = new Api(server.url(), null);
            for (int i = 0; i < 50; i++) {
                assertEquals(200, api.post("/events", obj("session_id", "s", "wt_event_id", "e" + i)).status());
            }
            server.process().destroy(); // SIGTERM
            assertTrue(server.process().waitFor(10, TimeUnit.SECONDS), "exits after SIGTERM");
        }
        assertFalse(Files.exists(Path.of(db + "-wal")) && Files.size(Path.of(db + "-wal")) > 0,
                "a clean close checkpoints and removes the WAL");
        assertEquals(50, storedUids(db).size());
        try (var again = ServerProcess.start(dir.resolve("uvs"), db)) {
            var sessions = new Api(again.url(), null).get("/sessions").json();
            assertEquals(50, sessions.get(0).path("event_count").asInt());
        }
    }

    @Test
    void aSecondServerOnTheSamePortSaysWhyInOneLine() throws Exception {
        try (var first = ServerProcess.start(dir.resolve("uvs"), dir.resolve("a.db"))) {
            var port = first.url().replaceAll(".*:", "");
            var cmd = new java.util.ArrayList<>(ServerProcess.javaCommand("Watchtower"));
            cmd.addAll(java.util.List.of("--port", port, "--data-dir", dir.resolve("uvs").toString(),
                    "--db", dir.resolve("b.db").toString()));
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            var out = new String(p.getInputStream().readAllBytes());
            assertEquals(1, p.exitValue());
            assertTrue(out.contains("port " + port) && out.contains("in use"), out);
            assertFalse(out.contains("Exception") || out.contains("\tat "), "no stack trace: " + out);
        }
    }

    @Test
    void aSecondServerOnTheSameDatabaseSaysWhyInOneLineAndTheFirstKeepsWorking() throws Exception {
        var db = dir.resolve("shared.db");
        try (var first = ServerProcess.start(dir.resolve("uvs"), db)) {
            var api = new Api(first.url(), null);
            assertEquals(200, api.post("/events", obj("session_id", "s", "wt_event_id", "before")).status());
            var cmd = new java.util.ArrayList<>(ServerProcess.javaCommand("Watchtower"));
            cmd.addAll(java.util.List.of("--port", "0", "--data-dir", dir.resolve("uvs2").toString(), "--db", db.toString()));
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the second server gave up");
                var out = new String(p.getInputStream().readAllBytes());
                assertEquals(1, p.exitValue(), out);
                assertTrue(out.contains(db.toString()) && out.contains("in use by another process"), out);
                assertFalse(out.contains("Exception") || out.contains("\tat "), "no stack trace: " + out);
            } finally {
                p.destroyForcibly(); // when it started after all
            }
            assertEquals(200, api.post("/events", obj("session_id", "s", "wt_event_id", "after")).status());
            assertEquals(2, api.get("/sessions/s").json().path("event_count").asInt());
        }
        assertEquals(Set.of("before", "after"), storedUids(db));
    }

    // --- infra ---

    private static Set<String> storedUids(Path db) throws Exception {
        var out = new HashSet<String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
             var rs = c.createStatement().executeQuery("SELECT event_uid FROM events")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
