package watchtower.control;

import watchtower.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.PrivateTmux;
import watchtower.testing.Repo;
import watchtower.testing.TestServer;

/**
 * POST /approvals/{id}/decide carried to the agent: the held hook first, else keys into
 * {@code uvs_<id>} on our tmux socket, with {@code actuated} true only when the widget left.
 */
class ApprovalKeystrokesTest {
    @TempDir
    Path dir;
    final PrivateTmux tmux = new PrivateTmux();
    TestServer server;
    Api api;

    @BeforeEach
    void start() throws Exception {
        tmux.install();
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
    }

    @AfterEach
    void stop() {
        server.close();
        tmux.close();
    }

    @Test
    void approvingATmuxSessionPressesOneAndReportsTheWidgetGone() throws Exception {
        var agent = owned("a1", "widget");
        long approval = permissionPrompt("a1");
        var reply = api.post("/approvals/" + approval + "/decide", obj("decision", "approve", "decided_by", "test"));
        assertEquals(200, reply.status(), reply.body());
        assertEquals("approved", reply.json().path("status").asText());
        assertTrue(reply.json().path("actuated").asBoolean(), "the widget left the pane");
        assertTrue(tmux.capture("uvs_a1").contains("APPROVED"));
        var keys = agent.keysUpToSentinel(tmux, "uvs_a1");
        assertEquals(List.of("31", "0a"), keys.stream().map(FakeAgent.Key::hex).toList());
        assertTrue(keys.get(0).micros() - agent.shownMicros() >= 500_000, "≥ 0.5 s after the widget appeared");
    }

    @Test
    void denyingPressesEscapeAndNeverTwo() throws Exception {
        var agent = owned("a2", "widget");
        long approval = permissionPrompt("a2");
        var reply = api.post("/approvals/" + approval + "/decide", obj("decision", "deny"));
        assertEquals("denied", reply.json().path("status").asText());
        assertTrue(reply.json().path("actuated").asBoolean());
        assertTrue(tmux.capture("uvs_a2").contains("DENIED"));
        assertEquals(List.of("1b"), agent.keysUpToSentinel(tmux, "uvs_a2").stream().map(FakeAgent.Key::hex).toList());
    }

    @Test
    void anIdlePromptApprovalIsNeverAnsweredWithOne() throws Exception {
        // even with a widget on screen: the approval is about the idle input line, not this prompt.
        // A reference database holds such rows (its notify hook forwarded every Notification).
        var agent = owned("a3", "widget");
        var store = server.server().store();
        var notification = Api.write(fixture("Notification--idle_prompt.json"));
        long approval = store.writer().execute(tx -> store.approvals().insertPending(tx, "a3", "",
                "Claude is waiting for your input", notification, null));
        var reply = api.post("/approvals/" + approval + "/decide", obj("decision", "approve"));
        assertEquals(200, reply.status(), reply.body());
        assertFalse(reply.json().path("actuated").asBoolean());
        assertEquals(List.of(), agent.keysUpToSentinel(tmux, "uvs_a3"), "nothing typed");
    }

    @Test
    void aSessionWhoseAttentionIsTheIdlePromptGetsNoKeys() throws Exception {
        var agent = owned("a7", "idle");
        long approval = permissionPrompt("a7");
        // the prompt was answered in the terminal and the turn ended: Claude Code waits for input
        var idle = fixture("Notification--idle_prompt.json");
        api.post("/approvals", obj("session_id", "a7", "command", idle.path("message").asText(), "request", idle));
        assertEquals("idle_prompt", api.get("/sessions/a7").json().path("attention").asText());
        var reply = api.post("/approvals/" + approval + "/decide", obj("decision", "approve"));
        assertFalse(reply.json().path("actuated").asBoolean());
        assertEquals(List.of(), agent.keysUpToSentinel(tmux, "uvs_a7"));
    }

    @Test
    void aPaneWithoutTheWidgetGetsNoKeys() throws Exception {
        var agent = owned("a4", "idle");
        long approval = permissionPrompt("a4");
        var reply = api.post("/approvals/" + approval + "/decide", obj("decision", "approve"));
        assertFalse(reply.json().path("actuated").asBoolean());
        assertEquals(List.of(), agent.keysUpToSentinel(tmux, "uvs_a4"));
    }

    @Test
    void aSessionOutsideOurTmuxIsRecordedButNotActuated() {
        api.post("/sessions/register", obj("id", "a5", "cwd", dir.toString()));
        long approval = permissionPrompt("a5");
        var reply = api.post("/approvals/" + approval + "/decide", obj("decision", "approve"));
        assertEquals("approved", reply.json().path("status").asText());
        assertFalse(reply.json().path("actuated").asBoolean());
    }

    @Test
    void aHeldHookIsAnsweredFirstAndNoKeysAreTyped() throws Exception {
        var agent = owned("a6", "widget");
        var body = fixture("PermissionRequest--Bash.json");
        var hook = HttpClient.newHttpClient().sendAsync(api.builder("/hooks/claude", true)
                .header("Content-Type", "application/json").header("X-UVS-Session", "a6")
                .POST(HttpRequest.BodyPublishers.ofString(Api.write(body))).build(), HttpResponse.BodyHandlers.ofString());
        var pending = Eventually.until("the held request's approval", () -> api.get("/approvals?status=pending").json(),
                list -> list.size() == 1);
        var reply = api.post("/approvals/" + pending.get(0).path("id").asLong() + "/decide", obj("decision", "approve"));
        assertTrue(reply.json().path("actuated").asBoolean());
        var answer = Api.JSON.readTree(hook.get(10, TimeUnit.SECONDS).body());
        assertEquals("allow", answer.at("/hookSpecificOutput/decision/behavior").asText());
        assertEquals(List.of(), agent.keysUpToSentinel(tmux, "uvs_a6"), "the hook answered: no keystrokes");
    }

    // --- infra ---

    private FakeAgent owned(String id, String mode) throws Exception {
        var reply = api.post("/sessions/register", obj("id", id, "tmux_target", "uvs_" + id, "cwd", dir.toString()));
        assertEquals(200, reply.status(), reply.body());
        return FakeAgent.start(tmux, "uvs_" + id, dir.resolve("agent-" + id), mode, 0);
    }

    private long permissionPrompt(String id) {
        var request = fixture("PermissionRequest--Bash.json");
        var reply = api.post("/approvals", obj("session_id", id, "tool_name", "Bash",
                "command", request.at("/tool_input/command").asText(), "request", request));
        assertEquals(200, reply.status(), reply.body());
        return reply.json().path("id").asLong();
    }

    private static ObjectNode fixture(String name) {
        try {
            return (ObjectNode) Api.JSON.readTree(Files.readString(Repo.sharedFixtures().resolve(name)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
