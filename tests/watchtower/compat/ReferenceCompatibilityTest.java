package watchtower.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * The reference server and ours side by side: every request goes to both, and the answers are
 * compared (status, and every key the reference returns with the same value; our extra keys are
 * additive). Each test works on its own sessions and compares only their rows, so tests do not
 * depend on their order. Ingest is sent without the token, as the reference hooks send it;
 * control requests carry our token, which the reference ignores. Where we differ on purpose,
 * the test says so and checks both sides explicitly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceCompatibilityTest {
    Path dir;
    ReferencePeer peer;
    TestServer server;
    Api ref;
    Api ours;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        peer = ReferencePeer.startOrSkip(dir.resolve("peer/watchtower.db"), dir.resolve("peer"));
        server = TestServer.start(dir.resolve("ours"));
        ours = server.api();
        ref = peer.api(server.token());
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        if (peer != null) peer.close();
    }

    @Test
    void healthAndUnknownSessions() {
        same("GET /health", get("/health"));
        for (var path : List.of("/sessions/cmp-nosuch", "/sessions/cmp-nosuch/artifacts", "/sessions/cmp-nosuch/checkpoints",
                "/sessions/cmp-nosuch/checkpoints/latest.md")) {
            var r = get(path);
            same("GET " + path, r);
            assertEquals(404, r.ours().status());
        }
    }

    @Test
    void registrationEventsAndTheQueriesThatShowThem() throws Exception {
        var a = "cmp-reg-a";
        var cwd = Files.createDirectories(dir.resolve("project-a")).toString();
        same("register", ingest("/sessions/register", obj("id", a, "name", "registered", "persona", "professional",
                "cwd", cwd, "worktree", cwd, "branch", "main", "pid", 4242, "tmux_target", "uvs_" + a)));
        for (var fixture : List.of("SessionStart.json", "PreToolUse--Bash.json", "PostToolUse--Bash.json",
                "UserPromptSubmit.json", "PreToolUse--Write.json")) {
            same("POST /events " + fixture, ingest("/events", HookBodies.event(fixture, a)));
        }
        // a later registration with fewer fields keeps what it does not name (null never overwrites)
        same("re-register", ingest("/sessions/register", obj("id", a, "branch", "feature", "tmux_target", "uvs_" + a)));

        same("GET /sessions/" + a, get("/sessions/" + a));
        sameRows("GET /sessions/" + a + "/events", get("/sessions/" + a + "/events"), Set.of(a), 5);
        sameRows("GET /sessions/" + a + "/events?limit=2", get("/sessions/" + a + "/events?limit=2"), Set.of(a), 2);
        sameRows("GET /events", get("/events"), Set.of(a), 5);
        sameRows("GET /events?limit=1000", get("/events?limit=1000"), Set.of(a), 5);
        var listed = sameRows("GET /sessions", get("/sessions"), Set.of(a), 1);
        assertEquals(3, listed.ours().get(0).path("tool_calls").asInt(), "three of five events name a tool");
    }

    @Test
    void approvalsRefreshAndAPromptResolvesThem() {
        var b = "cmp-appr-b";
        same("first event", ingest("/events", HookBodies.event("UserPromptSubmit.json", b)));
        var first = ingest("/approvals", HookBodies.approval("PermissionRequest--Bash.json", b));
        same("POST /approvals (PermissionRequest)", first);
        var second = ingest("/approvals", HookBodies.approval("Notification--permission_prompt.json", b));
        same("POST /approvals (Notification: refresh)", second);
        assertEquals(first.ours().json().path("id"), second.ours().json().path("id"), "one approval per session");

        sameRows("GET /approvals", get("/approvals"), Set.of(b), 1);
        same("GET /sessions/" + b, get("/sessions/" + b));
        assertEquals("awaiting_human", get("/sessions/" + b).ours().json().path("state").asText());

        same("UserPromptSubmit", ingest("/events", HookBodies.event("UserPromptSubmit.json", b)));
        sameRows("GET /approvals", get("/approvals"), Set.of(b), 0);
        sameRows("GET /approvals?status=resolved", get("/approvals?status=resolved"), Set.of(b), 1);
        same("GET /sessions/" + b, get("/sessions/" + b));
        assertEquals("active", get("/sessions/" + b).ours().json().path("state").asText());
    }

    @Test
    void decidingAnApprovalOfASessionWithoutTmux() {
        var c = "cmp-decide-c";
        same("register without tmux", ingest("/sessions/register", obj("id", c, "name", "no tmux")));
        var created = ingest("/approvals", HookBodies.approval("PermissionRequest--Bash.json", c));
        same("POST /approvals", created);
        var id = created.ours().json().path("id").asLong();

        var decide = obj("decision", "approve", "decided_by", "compat-test");
        var decided = control("/approvals/" + id + "/decide", decide);
        same("decide approve", decided);
        assertFalse(decided.ours().json().path("actuated").asBoolean(true), "nothing to actuate without tmux");
        sameRows("GET /approvals?status=approved", get("/approvals?status=approved"), Set.of(c), 1);
        same("GET /sessions/" + c, get("/sessions/" + c));

        // Deliberate difference: deciding an approval that is no longer pending. The reference
        // answers 200 and overwrites the first decision; we answer 409 and keep it.
        var again = control("/approvals/" + id + "/decide", obj("decision", "deny", "decided_by", "someone-else"));
        assertEquals(200, again.ref().status(), again.ref().body());
        assertEquals("denied", again.ref().json().path("status").asText());
        assertEquals(409, again.ours().status(), again.ours().body());
        assertTrue(again.ours().json().path("detail").isTextual(), again.ours().body());
        var kept = JsonCompare.rowsOf(Http1.get(ours, "/approvals?status=approved").json(), Set.of(c));
        assertEquals(1, kept.size());
        assertEquals("compat-test", kept.get(0).path("decided_by").asText());

        same("decide an unknown approval", control("/approvals/987654/decide", decide));
    }

    @Test
    void tokensAndState() {
        var d = "cmp-state-d";
        same("register", ingest("/sessions/register", obj("id", d, "tmux_target", "uvs_" + d)));
        same("tokens", ingest("/sessions/" + d + "/tokens", obj("input_tokens", 13332, "output_tokens", 88)));
        same("GET /sessions/" + d, get("/sessions/" + d));
        same("state idle", ingest("/sessions/" + d + "/state", obj("state", "idle")));
        same("GET /sessions/" + d, get("/sessions/" + d));
        same("tokens (zero input)", ingest("/sessions/" + d + "/tokens", obj("output_tokens", 90)));
        same("state terminated", ingest("/sessions/" + d + "/state", obj("state", "terminated")));
        var after = get("/sessions/" + d);
        same("GET /sessions/" + d, after);
        assertTrue(JsonCompare.isTimestamp(after.ours().json().path("ended_at")), after.ours().body());
        sameRows("GET /sessions", get("/sessions"), Set.of(d), 1);
    }

    @Test
    void settings() {
        same("GET /settings", get("/settings"));
        same("set terminal_app", control("/settings", obj("key", "terminal_app", "value", "iterm")));
        same("GET /settings", get("/settings"));
        var unknownKey = control("/settings", obj("key", "font", "value", "big"));
        same("unknown key", unknownKey);
        assertEquals(400, unknownKey.ours().status());
        var badValue = control("/settings", obj("key", "terminal_app", "value", "xterm"));
        same("invalid value", badValue);
        assertEquals(400, badValue.ours().status());
        same("GET /settings", get("/settings"));
        sameStatus("missing value (422; shapes of the detail differ)", control("/settings", obj("key", "terminal_app")), 422);
        same("set terminal_app back", control("/settings", obj("key", "terminal_app", "value", "auto")));
        same("GET /settings", get("/settings"));
    }

    @Test
    void artifactsAndCheckpointsOfSessionsWithoutFiles() throws Exception {
        var e = "cmp-files-e";
        var f = "cmp-files-f";
        var emptyCwd = Files.createDirectories(dir.resolve("project-f")).toString();
        same("register without cwd", ingest("/sessions/register", obj("id", e)));
        same("register with an empty cwd", ingest("/sessions/register", obj("id", f, "cwd", emptyCwd)));
        for (var id : List.of(e, f)) {
            same("artifacts of " + id, get("/sessions/" + id + "/artifacts"));
            same("checkpoints of " + id, get("/sessions/" + id + "/checkpoints"));
            for (var bad : List.of("..latest.md", "a$b.md", "semi;colon")) {
                var r = get("/sessions/" + id + "/checkpoints/" + bad);
                same("checkpoint named " + bad, r);
                assertEquals(400, r.ours().status());
            }
            var missing = get("/sessions/" + id + "/checkpoints/latest.md");
            same("missing checkpoint", missing);
            assertEquals(404, missing.ours().status());
        }
    }

    @Test
    void deliberateDifferences() {
        var g = "cmp-diff-g";
        same("register", ingest("/sessions/register", obj("id", g)));

        // We refuse state and tokens for a session we do not know (404); the reference answers
        // 200 and updates nothing.
        for (var path : List.of("/sessions/cmp-unknown/state", "/sessions/cmp-unknown/tokens")) {
            var body = path.endsWith("state") ? obj("state", "idle") : obj("input_tokens", 1, "output_tokens", 2);
            var r = ingest(path, body);
            assertEquals(200, r.ref().status(), r.ref().body());
            assertEquals("{\"ok\":true}", r.ref().json().toString());
            assertEquals(404, r.ours().status(), r.ours().body());
        }
        // The events of an unknown session: the reference lists none (200 []); we answer 404.
        var events = get("/sessions/cmp-unknown/events");
        assertEquals(200, events.ref().status());
        assertEquals(0, events.ref().json().size());
        assertEquals(404, events.ours().status(), events.ours().body());

        // Validation: both 422, but pydantic's detail is a list and ours a sentence; compare the status only.
        sameStatus("state out of the set", ingest("/sessions/" + g + "/state", obj("state", "sleeping")), 422);
        sameStatus("state missing", ingest("/sessions/" + g + "/state", obj()), 422);
        sameStatus("tokens not a number", ingest("/sessions/" + g + "/tokens", obj("input_tokens", "many")), 422);
        sameStatus("register without id", ingest("/sessions/register", obj("name", "nameless")), 422);
        sameStatus("approval without session", ingest("/approvals", obj("tool_name", "Bash")), 422);
        sameStatus("decision out of the set", control("/approvals/1/decide", obj("decision", "maybe")), 422);
        same("GET /sessions/" + g, get("/sessions/" + g));
    }

    // --- infra ---

    /** One request's answers from both servers. */
    record Both(Api.Reply ref, Api.Reply ours) {}

    private Both get(String path) {
        return new Both(Http1.get(ref, path), Http1.get(ours, path));
    }

    /** Ingest as the reference hooks send it: JSON, no token. */
    private Both ingest(String path, Object body) {
        return new Both(Http1.post(ref, path, body, false), Http1.post(ours, path, body, false));
    }

    /** Control with our token (the reference ignores the header). */
    private Both control(String path, Object body) {
        return new Both(Http1.post(ref, path, body, true), Http1.post(ours, path, body, true));
    }

    private static void same(String what, Both r) {
        assertEquals(r.ref().status(), r.ours().status(), what + ": status; reference " + r.ref().body() + ", ours " + r.ours().body());
        JsonCompare.assertCompatible(what, r.ref().json(), r.ours().json());
    }

    private static void sameStatus(String what, Both r, int expected) {
        assertEquals(expected, r.ref().status(), what + " (reference): " + r.ref().body());
        assertEquals(expected, r.ours().status(), what + " (ours): " + r.ours().body());
        assertTrue(r.ours().json().path("detail").isTextual(), what + ": our detail is a sentence: " + r.ours().body());
    }

    /** Rows of a list answer restricted to {@code sessions} (by session_id, or id for sessions), sorted by id. */
    record Rows(ArrayNode ref, ArrayNode ours) {}

    private static Rows sameRows(String what, Both r, Set<String> sessions, int expectedRows) {
        assertEquals(200, r.ref().status(), what + " (reference): " + r.ref().body());
        assertEquals(200, r.ours().status(), what + " (ours): " + r.ours().body());
        var rows = new Rows(JsonCompare.rowsOf(r.ref().json(), sessions), JsonCompare.rowsOf(r.ours().json(), sessions));
        assertEquals(expectedRows, rows.ref().size(), what + ": rows of " + sessions + " the reference lists: " + rows.ref());
        JsonCompare.assertCompatible(what, rows.ref(), rows.ours());
        return rows;
    }
}
