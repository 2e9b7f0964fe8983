package watchtower.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.control.ControlOptions;
import watchtower.control.LocalMachine;
import watchtower.ctl.AgentLoop;
import watchtower.testing.Api;
import watchtower.testing.Eventually;
import watchtower.testing.TestServer;

/**
 * Control of a session on another machine through `wtctl agent`'s loop (in this JVM), against a
 * real server: the session is registered with the machine's own token, runs in {@code uvs_<id>}
 * on the agent's private tmux socket, and the server's own socket is another one, so whatever
 * reaches the pane came through the agent.
 */
class RemoteControlTest {
    static final String SOCKET_PROPERTY = "watchtower.tmux.socket";

    @TempDir
    Path dir;
    final AgentTmux remote = new AgentTmux();
    final AgentTmux serverOwn = new AgentTmux();
    final List<String> agentLog = Collections.synchronizedList(new ArrayList<>());
    TestServer server;
    Api api;
    Api machineApi;
    String machineToken;
    AgentLoop agent;
    Thread agentThread;

    @BeforeEach
    void start() throws Exception {
        System.setProperty(SOCKET_PROPERTY, serverOwn.socket);
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
        var created = api.post("/machines", obj("name", "m1"));
        assertEquals(201, created.status(), created.body());
        machineToken = created.json().path("token").asText();
        machineApi = new Api(server.url(), machineToken);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.stop();
            assertTrue(agent.awaitFinished(Duration.ofSeconds(5)), "the agent loop ends when stopped");
            agentThread.join(5_000);
        }
        server.close();
        remote.close();
        serverOwn.close();
        System.clearProperty(SOCKET_PROPERTY);
    }

    @Test
    void inputTypesIntoThePaneOnTheAgentsMachine() throws Exception {
        remote.start("uvs_r1", dir.resolve("r1"), AgentTmux.LINES, "ready");
        register("r1");
        startAgent("r1");

        var reply = api.post("/sessions/r1/input", obj("text", "hello from the server"));
        assertEquals(200, reply.status(), reply.body());
        remote.awaitPane("uvs_r1", "hello from the server");
        assertEquals(List.of("hello from the server"), Eventually.until("the typed line",
                () -> lines(dir.resolve("r1")), l -> !l.isEmpty()));
        assertFalse(serverOwn.has("uvs_r1"), "nothing ran on the server's own tmux");
        assertTrue(agentLog.stream().anyMatch(l -> l.startsWith("type r1 -> ok")), String.join("\n", agentLog));
        assertFalse(String.join("\n", agentLog).contains("hello from the server"), "the log never holds typed text");
    }

    @Test
    void closeKillsTheTmuxSessionThroughTheAgent() throws Exception {
        remote.start("uvs_r2", dir.resolve("r2"), AgentTmux.LINES, "ready");
        register("r2");
        startAgent("r2");

        var reply = api.post("/sessions/r2/close", obj());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("tmux", reply.json().path("terminated_via").asText());
        assertTrue(reply.json().path("checkpoint").isNull());
        assertTrue(reply.json().path("checkpoint_error").asText().contains("machine m1"), reply.body());
        assertFalse(remote.has("uvs_r2"), "the agent killed uvs_r2");
        assertEquals("terminated", api.get("/sessions/r2").json().path("state").asText());
    }

    @Test
    void anApprovalIsAnsweredByKeystrokesThroughTheAgent() throws Exception {
        var sessionDir = dir.resolve("r3");
        remote.start("uvs_r3", sessionDir, AgentTmux.WIDGET, "Esc to cancel");
        register("r3");
        startAgent("r3");
        var created = machineApi.post("/approvals", obj("session_id", "r3", "tool_name", "Bash", "command", "touch /tmp/demo-file"));
        assertEquals(200, created.status(), created.body());
        long id = created.json().path("id").asLong();

        var reply = api.post("/approvals/" + id + "/decide", obj("decision", "approve", "decided_by", "test"));
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().path("actuated").asBoolean(), "the widget left the remote pane: " + reply.body());
        remote.awaitPane("uvs_r3", "APPROVED");
        assertEquals("31", Files.readAllLines(sessionDir.resolve("keys")).get(0), "approve is the key 1");
        assertTrue(agentLog.stream().anyMatch(l -> l.startsWith("answer r3 -> ok")), String.join("\n", agentLog));
    }

    @Test
    void withoutAnAgentControlIs503AndTheRowSaysOffline() throws Exception {
        remote.start("uvs_r4", dir.resolve("r4"), AgentTmux.LINES, "ready");
        register("r4");
        api.post("/sessions/register", obj("id", "local1", "cwd", dir.toString())); // a session on the server's machine

        var reply = api.post("/sessions/r4/input", obj("text", "anyone there?"));
        assertEquals(503, reply.status(), reply.body());
        assertTrue(reply.detail().startsWith("machine m1 is offline: no `wtctl agent` has connected"), reply.detail());
        assertEquals(503, api.post("/sessions/r4/close", obj()).status());
        assertTrue(remote.has("uvs_r4"), "nothing was killed");
        assertEquals("active", api.get("/sessions/r4").json().path("state").asText(), "close changed nothing");

        var row = api.get("/sessions/r4").json();
        assertEquals("m1", row.path("machine").asText());
        assertFalse(row.path("machine_online").asBoolean(true), row.toString());
        var local = api.get("/sessions/local1").json();
        assertTrue(local.path("machine_online").isMissingNode(), "a local row is as it was: " + local);
        for (var r : api.get("/sessions").json()) {
            if (r.path("id").asText().equals("r4")) assertFalse(r.path("machine_online").asBoolean(true));
            if (r.path("id").asText().equals("local1")) assertTrue(r.path("machine_online").isMissingNode());
        }
        assertEquals(List.of(), lines(dir.resolve("r4")));
    }

    @Test
    void forkStartsTheChildOnTheParentsMachine() throws Exception {
        remote.start("uvs_r5", dir.resolve("r5"), AgentTmux.LINES, "ready");
        register("r5");
        startAgent("r5");

        var reply = api.post("/sessions/r5/fork?open=false", obj());
        assertEquals(200, reply.status(), reply.body());
        var child = reply.json().path("id").asText();
        assertFalse(reply.json().path("terminal_opened").asBoolean(true));
        remote.awaitPane("uvs_" + child, "stub claude --permission-mode manual");
        assertFalse(serverOwn.has("uvs_" + child), "the child runs on the parent's machine, not the server's");
        var row = api.get("/sessions/" + child).json();
        assertEquals("m1", row.path("machine").asText(), "the child belongs to m1, so its hooks may post with m1's token");
        assertEquals("r5", row.path("parent_id").asText());
        assertTrue(row.path("machine_online").asBoolean());
        var event = machineApi.post("/events", obj("session_id", child, "hook_event_name", "Stop"));
        assertEquals(200, event.status(), "the child's hooks post with the machine token: " + event.body());
    }

    @Test
    void theAgentRoutesTakeOnlyAMachineToken() {
        assertEquals(403, api.get("/agent/next?wait=0").status(), "the install token names no machine");
        assertEquals(401, api.getWithoutToken("/agent/next?wait=0").status());
        assertEquals(403, api.post("/agent/results", obj("id", "x", "ok", true)).status());
        var none = machineApi.get("/agent/next?wait=0");
        assertEquals(200, none.status(), none.body());
        assertTrue(none.json().path("command").isNull());
        var stray = machineApi.post("/agent/results", obj("id", "no-such-command", "ok", true));
        assertEquals(404, stray.status(), "a result for no command is refused");
    }

    // --- infra ---

    private void register(String id) {
        var reply = machineApi.post("/sessions/register", obj("id", id, "tmux", "uvs_" + id, "cwd", dir.resolve(id).toString()));
        assertEquals(200, reply.status(), reply.body());
    }

    private void startAgent(String sessionId) throws java.io.IOException {
        // the agent's "claude": prints its arguments and stays up, as an agent in its pane would
        var stub = dir.resolve("claude-stub");
        Files.writeString(stub, "#!/usr/bin/env bash\necho stub claude \"$@\"\nexec sleep 300\n");
        Files.setPosixFilePermissions(stub, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        var options = new ControlOptions(remote.socket, Optional.of(stub.toString()), Optional.empty(),
                Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin"), Optional.empty(), Optional.empty(),
                false, dir);
        agent = new AgentLoop(server.url(), machineToken, LocalMachine.create(options, server.url(), machineToken), agentLog::add);
        agentThread = new Thread(agent, "test-agent");
        agentThread.start();
        Eventually.until("machine m1 to be online", () -> api.get("/sessions/" + sessionId).json(),
                row -> row.path("machine_online").asBoolean(false));
    }

    private static List<String> lines(Path sessionDir) {
        try {
            var file = sessionDir.resolve("lines");
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

}
