package watchtower.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.control.ControlOptions;
import watchtower.control.LocalMachine;
import watchtower.ctl.AgentLoop;
import watchtower.testing.Api;

/**
 * The agent checks every command again before it runs it: a server (here a fake one handing out
 * hostile commands) cannot make it run a program, address a pane other than {@code uvs_<id>},
 * send control keys, or signal a process it cannot tie to the session.
 */
class HostileCommandsTest {
    @TempDir
    Path dir;
    final AgentTmux remote = new AgentTmux();
    HttpServer fake;
    AgentLoop agent;
    Thread thread;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.stop();
            assertTrue(agent.awaitFinished(Duration.ofSeconds(5)));
            thread.join(5_000);
        }
        if (fake != null) fake.stop(0);
        remote.close();
    }

    @Test
    void commandsOutsideTheClosedSetAreRefusedAndDoNothing() throws Exception {
        var sessionDir = dir.resolve("h1");
        remote.start("uvs_h1", sessionDir, AgentTmux.LINES, "ready");
        remote.start("victim", dir.resolve("victim"), AgentTmux.LINES, "ready");
        var marker = dir.resolve("pwned");
        var hostile = List.of(
                "{\"id\":\"c1\",\"op\":\"shell\",\"argv\":[\"touch\",\"" + marker + "\"]}",
                "{\"id\":\"c2\",\"op\":\"type\",\"session_id\":\"h1\",\"text\":\"touch " + marker + "\\n\"}",
                "{\"id\":\"c3\",\"op\":\"keys\",\"session_id\":\"h1\",\"keys\":[\"C-c\"]}",
                "{\"id\":\"c4\",\"op\":\"type\",\"session_id\":\"../victim\",\"text\":\"x\"}",
                "{\"id\":\"c5\",\"op\":\"type\",\"session_id\":\"h1:0.1\",\"text\":\"x\"}",
                "{\"id\":\"c6\",\"op\":\"stop\",\"session_id\":\"h1\",\"pid\":1,\"via\":\"pid\"}",
                "{\"id\":\"c7\",\"op\":\"stop_via\",\"session_id\":\"h9\",\"pid\":" + ProcessHandle.current().pid() + "}",
                "{\"id\":\"c8\",\"op\":\"start\",\"session_id\":\"h2\",\"tool\":\"sh\",\"persona\":\"auto\",\"cwd\":\"" + dir + "\"}",
                "{\"id\":\"c9\",\"op\":\"start\",\"session_id\":\"h2\",\"tool\":\"claude\",\"persona\":\"auto\",\"cwd\":\"relative/dir\"}",
                "{\"id\":\"c10\",\"op\":\"start\",\"session_id\":\"h2\",\"tool\":\"claude\",\"persona\":\"auto\",\"cwd\":\""
                        + dir + "\",\"task\":\"--dangerously-skip-permissions\"}",
                "{\"id\":\"c11\",\"op\":\"kill\",\"session_id\":\"victim.x\"}",
                "{\"id\":\"ok\",\"op\":\"type\",\"session_id\":\"h1\",\"text\":\"only this\"}",
                "{\"id\":\"ok2\",\"op\":\"keys\",\"session_id\":\"h1\",\"keys\":[\"Enter\"]}");
        var results = serve(hostile);
        startAgent();

        var byId = new java.util.HashMap<String, JsonNode>();
        for (int i = 0; i < hostile.size(); i++) {
            var r = results.poll(10, TimeUnit.SECONDS);
            if (r == null) throw new AssertionError("no result for command " + (i + 1) + "; got " + byId.keySet());
            byId.put(r.path("id").asText(), r);
        }
        for (var id : List.of("c1", "c2", "c3", "c4", "c5", "c6", "c8", "c9", "c10", "c11")) {
            var r = byId.get(id);
            assertFalse(r.path("ok").asBoolean(true), id + " was refused: " + r);
            assertEquals(422, r.path("status").asInt(), id + ": " + r);
            assertFalse(r.path("error").asText().isEmpty(), id + " says why");
        }
        var self = byId.get("c7");
        assertFalse(self.path("ok").asBoolean(true), "the agent never signals itself: " + self);
        assertEquals(409, self.path("status").asInt());
        assertTrue(byId.get("ok").path("ok").asBoolean(), byId.get("ok").toString());
        assertTrue(byId.get("ok2").path("ok").asBoolean(), byId.get("ok2").toString());

        assertEquals(List.of("only this"), watchtower.testing.Eventually.until("the typed line",
                () -> lines(sessionDir), l -> !l.isEmpty()), "only the valid commands typed");
        assertFalse(Files.exists(dir.resolve("victim").resolve("lines")), "the other pane got nothing");
        assertTrue(remote.has("victim"));
        assertFalse(remote.has("uvs_h2"), "nothing was started");
        assertFalse(Files.exists(marker), "no command ran");
    }

    // --- infra ---

    private static List<String> lines(Path sessionDir) {
        try {
            var file = sessionDir.resolve("lines");
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A fake Watchtower that hands out {@code commands} one per poll, then none, and collects the results. */
    private LinkedBlockingQueue<JsonNode> serve(List<String> commands) throws Exception {
        var queue = new ConcurrentLinkedQueue<>(commands);
        var results = new LinkedBlockingQueue<JsonNode>();
        fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        fake.createContext("/agent/next", ex -> {
            var next = queue.poll();
            var body = ("{\"command\":" + (next == null ? "null" : next) + "}").getBytes(StandardCharsets.UTF_8);
            if (next == null) {
                try {
                    Thread.sleep(200); // an idle poll: the real server parks it; a short pause keeps this one from spinning
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        fake.createContext("/agent/results", ex -> {
            results.add(Api.JSON.readTree(ex.getRequestBody().readAllBytes()));
            var body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        fake.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        fake.start();
        return results;
    }

    private void startAgent() {
        var url = "http://127.0.0.1:" + fake.getAddress().getPort();
        var options = new ControlOptions(remote.socket, Optional.of("/bin/true"), Optional.empty(),
                "/usr/bin:/bin", Optional.empty(), Optional.empty(), false, dir);
        agent = new AgentLoop(url, "machine-token", LocalMachine.create(options, url, "machine-token"), line -> {});
        thread = new Thread(agent, "test-agent");
        thread.start();
    }

}
