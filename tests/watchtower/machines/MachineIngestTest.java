package watchtower.machines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.Eventually;

/**
 * What a machine's token may do on a server bound beyond loopback: post into its own sessions
 * (which it stamps), and nothing else: no reads, no decisions, no settings, no writing into
 * another machine's session or one on the server's own machine.
 */
class MachineIngestTest {
    @TempDir
    Path dir;
    TeamServer team;
    Api laptop;
    Api desktop;

    @BeforeEach
    void start() throws Exception {
        team = TeamServer.start(dir);
        laptop = team.as(team.enroll("laptop"));
        desktop = team.as(team.enroll("desktop"));
    }

    @AfterEach
    void stop() {
        team.close();
    }

    @Test
    void eventsFromAMachineStampItsSessionAndMarkItSeen() throws Exception {
        var r = laptop.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart", "cwd", "/src/x"));
        assertEquals(200, r.status(), r.body());
        assertEquals(200, laptop.post("/events", obj("session_id", "lap-1", "event_type", "PreToolUse",
                "tool_name", "Bash", "command", "make")).status());
        assertEquals("laptop", machineOf("lap-1"));
        assertEquals(2, team.count("SELECT count(*) FROM events WHERE session_id = ?", "lap-1"));
        var session = team.admin().get("/sessions/lap-1").json();
        assertEquals("laptop", session.get("machine").asText());
        var listed = team.admin().get("/machines").json();
        var seen = listed.findValues("name").indexOf(Api.JSON.valueToTree("laptop"));
        assertNotNull(listed.get(seen).get("last_seen_at").textValue(), "last_seen_at is set: " + listed);
        assertTrue(listed.get(1 - seen).get("last_seen_at").isNull(), "desktop posted nothing: " + listed);
    }

    @Test
    void installTokenSessionsBelongToTheServersOwnMachine() throws Exception {
        assertEquals(200, team.admin().post("/events", obj("session_id", "own-1", "event_type", "SessionStart")).status());
        assertEquals(1, team.count("SELECT count(*) FROM sessions WHERE id = ? AND machine IS NULL", "own-1"));
    }

    @Test
    void registrationFromAMachineStampsTheSession() throws Exception {
        var r = laptop.post("/sessions/register", obj("id", "lap-2", "name", "parser", "cwd", "/src/p"));
        assertEquals(200, r.status(), r.body());
        assertEquals("laptop", machineOf("lap-2"));
    }

    @Test
    void httpHooksFromAMachineStampTheSession() throws Exception {
        var r = laptop.post("/hooks/claude", obj("session_id", "lap-3", "hook_event_name", "SessionStart", "cwd", "/w"));
        assertEquals(200, r.status(), r.body());
        Eventually.until("the queued hook event is stored", () -> {
            try {
                return machineOf("lap-3");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "laptop"::equals);
    }

    @Test
    void aMachinesHttpHookDoesNotReadMetadataFilesOnTheServer() throws Exception {
        var project = dir.resolve("project");
        var state = java.nio.file.Files.createDirectories(project.resolve(".uv-suite-state/sessions"));
        for (var sid : List.of("lap-4", "own-4")) {
            java.nio.file.Files.writeString(state.resolve(sid + ".json"), "{\"name\":\"server-side name\"}");
        }
        var hook = obj("hook_event_name", "SessionStart", "cwd", project.toString());
        hook.put("session_id", "own-4");
        assertEquals(200, team.admin().post("/hooks/claude", hook).status());
        hook.put("session_id", "lap-4");
        assertEquals(200, laptop.post("/hooks/claude", hook).status());
        Eventually.until("both hook events are stored", () -> {
            try {
                return team.count("SELECT count(*) FROM sessions WHERE id IN ('lap-4', 'own-4')");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, n -> n == 2);
        assertEquals("server-side name", team.text("SELECT name FROM sessions WHERE id = 'own-4'"), "read for our own");
        assertNull(team.text("SELECT name FROM sessions WHERE id = 'lap-4'"), "not for a machine's: its cwd is over there");
    }

    @Test
    void aMachineCannotReadAnything() {
        laptop.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart"));
        for (var path : List.of("/sessions", "/sessions/lap-1", "/sessions/lap-1/events", "/events", "/approvals",
                "/settings", "/events/search?q=x", "/machines", "/live")) {
            var r = laptop.get(path);
            assertEquals(403, r.status(), path + ": " + r.body());
            assertTrue(r.detail().contains("machine token"), path + ": " + r.detail());
        }
    }

    @Test
    void aMachineCannotDecideApprovalsOrChangeSettingsOrControlSessions() throws Exception {
        laptop.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart"));
        var created = laptop.post("/approvals", obj("session_id", "lap-1", "tool_name", "Bash", "command", "rm -rf /"));
        assertEquals(200, created.status(), created.body());
        long id = created.json().get("id").asLong();

        assertEquals(403, laptop.post("/approvals/" + id + "/decide", obj("decision", "approve")).status());
        assertEquals("pending", team.text("SELECT status FROM approvals WHERE id = ?", id));
        assertEquals(403, laptop.post("/settings", obj("key", "terminal_app", "value", "iterm")).status());
        assertEquals(0, team.count("SELECT count(*) FROM settings WHERE key = 'terminal_app'"));
        for (var path : List.of("/sessions/lap-1/close", "/sessions/lap-1/compact", "/sessions/lap-1/fork",
                "/sessions/lap-1/checkpoint", "/sessions/spawn", "/sessions/cleanup", "/auth/session")) {
            assertEquals(403, laptop.post(path, obj()).status(), path);
        }
        assertEquals(403, laptop.delete("/sessions/lap-1").status());
        assertEquals(1, team.count("SELECT count(*) FROM sessions WHERE id = 'lap-1'"));
    }

    @Test
    void aMachineCannotWriteIntoAnotherMachinesSession() throws Exception {
        laptop.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart", "session_name", "mine"));
        var before = snapshot("lap-1");

        var writes = List.<Map.Entry<String, Map<String, Object>>>of(
                Map.entry("/events", obj("session_id", "lap-1", "event_type", "Stop", "session_name", "stolen")),
                Map.entry("/events", obj("uvs_session_id", "lap-1", "event_type", "SessionEnd")),
                Map.entry("/sessions/register", obj("id", "lap-1", "name", "stolen")),
                Map.entry("/sessions/lap-1/state", obj("state", "terminated")),
                Map.entry("/sessions/lap-1/tokens", obj("input_tokens", 5, "output_tokens", 7)),
                Map.entry("/approvals", obj("session_id", "lap-1", "tool_name", "Bash", "command", "x")),
                Map.entry("/hooks/claude", obj("session_id", "lap-1", "hook_event_name", "Stop")),
                Map.entry("/hooks/claude", obj("session_id", "lap-1", "hook_event_name", "PermissionRequest",
                        "tool_name", "Bash", "tool_input", obj("command", "x"))));
        for (var w : writes) {
            var r = desktop.post(w.getKey(), w.getValue());
            assertEquals(403, r.status(), w + ": " + r.body());
            assertEquals("session lap-1 is not on machine desktop", r.detail());
        }
        assertEquals(before, snapshot("lap-1"), "nothing about the session changed");
        assertEquals("laptop", machineOf("lap-1"));
    }

    @Test
    void aMachineCannotWriteIntoASessionOnTheServersOwnMachine() throws Exception {
        team.admin().post("/events", obj("session_id", "own-1", "event_type", "SessionStart"));
        var before = snapshot("own-1");
        assertEquals(403, laptop.post("/events", obj("session_id", "own-1", "event_type", "Stop")).status());
        assertEquals(403, laptop.post("/sessions/register", obj("id", "own-1")).status());
        assertEquals(403, laptop.post("/sessions/own-1/state", obj("state", "idle")).status());
        assertEquals(403, laptop.post("/hooks/claude", obj("session_id", "own-1", "hook_event_name", "Stop")).status());
        assertEquals(before, snapshot("own-1"));
        assertNull(machineOf("own-1"), "still the server's own");
    }

    @Test
    void theInstallTokenMayStillWriteIntoAMachinesSession() throws Exception {
        laptop.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart"));
        assertEquals(200, team.admin().post("/sessions/lap-1/state", obj("state", "idle")).status());
        assertEquals("laptop", machineOf("lap-1"), "and it stays the laptop's");
    }

    @Test
    void aMachinesOwnUpdatesWork() throws Exception {
        laptop.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart"));
        assertEquals(200, laptop.post("/sessions/lap-1/state", obj("state", "idle")).status());
        assertEquals(200, laptop.post("/sessions/lap-1/tokens", obj("input_tokens", 5, "output_tokens", 7)).status());
        assertEquals(200, laptop.post("/approvals", obj("session_id", "lap-1", "tool_name", "Bash")).status());
        assertEquals("awaiting_human", team.text("SELECT state FROM sessions WHERE id = 'lap-1'"));
        assertEquals(7, team.count("SELECT output_tokens FROM sessions WHERE id = 'lap-1'"));
    }

    @Test
    void aMachinesTranscriptPathIsRefusedBecauseItNamesAFileOverThere() throws Exception {
        laptop.post("/events", obj("session_id", "lap-1", "event_type", "SessionStart"));
        var r = laptop.post("/sessions/lap-1/tokens", obj("transcript_path", "/etc/passwd.jsonl"));
        assertEquals(422, r.status(), r.body());
        assertTrue(r.detail().contains("agent's machine"), r.detail());
    }

    @Test
    void unknownAndMalformedTokensAre401AndStoreNothing() throws Exception {
        for (var token : List.of("wtm_" + "A".repeat(32), "wtm_short", "not-a-token", "wtm_" + "!".repeat(32))) {
            var r = team.as(token).post("/events", obj("session_id", "x-1", "event_type", "Stop"));
            assertEquals(401, r.status(), token);
            assertEquals("invalid install token", r.detail());
        }
        assertEquals(0, team.count("SELECT count(*) FROM events"));
    }

    @Test
    void aMachineTokenWorksAsBearerToo() throws Exception {
        var token = team.enroll("tablet");
        var r = team.anonymous().send(team.anonymous().builder("/events", false)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"session_id\":\"tab-1\"}")).build());
        assertEquals(200, r.status(), r.body());
        assertEquals("tablet", machineOf("tab-1"));
    }

    // --- infra ---

    private String machineOf(String sessionId) throws Exception {
        return team.text("SELECT machine FROM sessions WHERE id = ?", sessionId);
    }

    /** What a refused write must leave alone: the session row, its events and its approvals. */
    private String snapshot(String sessionId) throws Exception {
        return team.admin().get("/sessions/" + sessionId).body()
                + " events=" + team.count("SELECT count(*) FROM events WHERE session_id = ?", sessionId)
                + " approvals=" + team.count("SELECT count(*) FROM approvals WHERE session_id = ?", sessionId);
    }
}
