package watchtower.control;

import watchtower.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.PrivateTmux;
import watchtower.testing.TestServer;

/** Compact, typed input, delete, cleanup and export, against real tmux sessions on a private socket. */
class SessionControlTest {
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
    void compactTypesSlashCompactAndEnter() throws Exception {
        var agent = owned("s1", "lines");
        var reply = api.post("/sessions/s1/compact", obj());
        assertEquals(200, reply.status(), reply.body());
        assertEquals(List.of("/compact"), Eventually.until("the line", agent::lines, l -> !l.isEmpty()));
    }

    @Test
    void compactWhileAnApprovalIsPendingIs409AndTypesNothing() throws Exception {
        var agent = owned("s2", "widget");
        api.post("/approvals", obj("session_id", "s2", "tool_name", "Bash", "command", "ls"));
        var reply = api.post("/sessions/s2/compact", obj());
        assertEquals(409, reply.status(), reply.body());
        assertTrue(reply.detail().contains("approval"), reply.detail());
        assertEquals(List.of(), agent.keysUpToSentinel(tmux, "uvs_s2"), "not a key reached the widget");
    }

    @Test
    void inputAfterAnEscapeInTheTerminalClearsTheStaleApprovalAndTypes() throws Exception {
        // Escape fires no hook: the approval stays pending though no widget is on the pane any more
        var agent = owned("s7", "lines");
        var id = api.post("/approvals", obj("session_id", "s7", "tool_name", "Bash", "command", "ls")).json().path("id").asInt();
        assertEquals(409, api.post("/sessions/s7/input", obj("text", "too soon")).status(),
                "a fresh approval's widget may not be drawn yet");
        try (var c = server.jdbc(); var ps = c.prepareStatement("UPDATE approvals SET created_at = ? WHERE id = ?")) {
            ps.setString(1, watchtower.core.Time.format(java.time.Instant.now().minusSeconds(10)));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        var reply = api.post("/sessions/s7/input", obj("text", "never mind, use git"));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(List.of("never mind, use git"), Eventually.until("the line", agent::lines, l -> !l.isEmpty()));
        assertEquals("resolved", api.get("/approvals?status=all").json().get(0).path("status").asText());
    }

    @Test
    void aWidgetOnScreenBlocksTypingEvenWithoutARecordedApproval() throws Exception {
        var agent = owned("s3", "widget");
        assertEquals(409, api.post("/sessions/s3/input", obj("text", "1")).status());
        assertEquals(409, api.post("/sessions/s3/compact", obj()).status());
        assertEquals(List.of(), agent.keysUpToSentinel(tmux, "uvs_s3"));
    }

    @Test
    void compactAndInputNeedAnOwnedSession() {
        api.post("/sessions/register", obj("id", "s4", "cwd", dir.toString()));
        var compact = api.post("/sessions/s4/compact", obj());
        assertEquals(400, compact.status());
        assertTrue(compact.detail().contains("run /compact in the terminal"), compact.detail());
        assertEquals(400, api.post("/sessions/s4/input", obj("text", "hello")).status());
    }

    @Test
    void inputIsTypedLiterallyThenEnter() throws Exception {
        var agent = owned("s5", "lines");
        var text = "-x Enter $(touch " + dir.resolve("pwned") + ") `id` 'q' \"dq\" ; C-c \\ end";
        var reply = api.post("/sessions/s5/input", obj("text", text));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(List.of(text), Eventually.until("the typed line", agent::lines, l -> !l.isEmpty()));
        assertFalse(dir.resolve("pwned").toFile().exists());
    }

    @Test
    void inputRefusesControlCharactersAndOverlongText() throws Exception {
        var agent = owned("s6", "lines");
        for (var bad : List.of("a\nb", "a\u001b[Ab", "tab\there", "\u0003", "x\u007f", "")) {
            var reply = api.post("/sessions/s6/input", obj("text", bad));
            assertEquals(422, reply.status(), "refused: " + bad.codePoints().boxed().toList());
        }
        assertEquals(422, api.post("/sessions/s6/input", obj("text", "é".repeat(4097))).status(), "over 8 KiB in UTF-8");
        assertEquals(422, api.post("/sessions/s6/input", obj("text", 5)).status());
        assertEquals(422, api.post("/sessions/s6/input", obj()).status());
        api.post("/sessions/s6/input", obj("text", "sentinel"));
        assertEquals(List.of("sentinel"), Eventually.until("the sentinel line", agent::lines, l -> !l.isEmpty()));
    }

    @Test
    void deleteKillsTheOwnedSessionAndRemovesItsRows() throws Exception {
        owned("s7", "idle");
        api.post("/events", obj("session_id", "s7", "event_type", "PreToolUse", "tool_name", "Bash"));
        var reply = api.delete("/sessions/s7");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("s7", reply.json().path("deleted").asText());
        assertFalse(tmux.sessions().contains("uvs_s7"));
        assertEquals(404, api.get("/sessions/s7").status());
        assertEquals(404, api.delete("/sessions/s7").status());
    }

    @Test
    void cleanupKillsEveryOwnedSessionAndDeletesAll() throws Exception {
        owned("s8", "idle");
        owned("s9", "idle");
        tmux.start("not-ours", dir, List.of("sleep", "60"));
        api.post("/sessions/register", obj("id", "s10"));
        var reply = api.post("/sessions/cleanup", obj());
        assertEquals(200, reply.status(), reply.body());
        assertEquals(3, reply.json().path("deleted").asInt());
        assertEquals(List.of("not-ours"), tmux.sessions(), "only our sessions were killed");
        assertEquals(0, api.get("/sessions").json().size());
    }

    @Test
    void exportGivesTheSessionThenItsEventsAsJsonLines() throws Exception {
        api.post("/sessions/register", obj("id", "s11", "name", "Export me"));
        api.post("/events", obj("session_id", "s11", "event_type", "UserPromptSubmit", "prompt", "hi"));
        api.post("/events", obj("session_id", "s11", "event_type", "PreToolUse", "tool_name", "Bash", "command", "ls"));
        var reply = api.get("/sessions/s11/export");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
        var lines = reply.body().strip().split("\n");
        assertEquals(3, lines.length);
        var session = Api.JSON.readTree(lines[0]);
        assertEquals("session", session.path("record").asText());
        assertEquals("Export me", session.path("name").asText());
        var first = Api.JSON.readTree(lines[1]);
        assertEquals("event", first.path("record").asText());
        assertEquals("UserPromptSubmit", first.path("event_type").asText());
        assertEquals("hi", first.path("payload").path("prompt").asText(), "payload decoded, not a string");
        assertEquals("ls", Api.JSON.readTree(lines[2]).path("command").asText());
        assertEquals(401, api.getWithoutToken("/sessions/s11/export").status());
    }

    // --- infra ---

    private FakeAgent owned(String id, String mode) throws Exception {
        var reply = api.post("/sessions/register", obj("id", id, "tmux_target", "uvs_" + id, "cwd", dir.toString()));
        assertEquals(200, reply.status(), reply.body());
        return FakeAgent.start(tmux, "uvs_" + id, dir.resolve("agent-" + id), mode, 0);
    }
}
