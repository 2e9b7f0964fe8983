package watchtower.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
            sameError("GET " + path, get(path), 404);
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

        sameError("decide an unknown approval", control("/approvals/987654/decide", decide), 404);
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
        sameError("unknown key", control("/settings", obj("key", "font", "value", "big")), 400);
        sameError("invalid value", control("/settings", obj("key", "terminal_app", "value", "xterm")), 400);
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
                sameError("checkpoint named " + bad, get("/sessions/" + id + "/checkpoints/" + bad), 400);
            }
            sameError("missing checkpoint", get("/sessions/" + id + "/checkpoints/latest.md"), 404);
        }
    }

    @Test
    void artifactsAndCheckpointsOfASessionWithFiles() throws Exception {
        var i = "cmp-files-i";
        var cwd = Files.createDirectories(dir.resolve("project-i"));
        var base = Files.createDirectories(cwd.resolve("uv-out/sessions/" + i));
        Files.createDirectories(base.resolve("checkpoints"));
        Files.createDirectories(base.resolve("notes"));
        var files = List.of(base.resolve("summary.md"), base.resolve("notes/a.txt"),
                base.resolve("checkpoints/manual-2026-11-25-1024.md"), base.resolve("checkpoints/latest.md"));
        long second = 1764066000L;
        for (var file : files) {
            Files.writeString(file, "# " + file.getFileName() + "\nwritten by the compat test\n");
            // distinct times with a sub-millisecond part, as real files have
            second += 60;
            Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(second, 123_456_789)));
        }
        same("register with files", ingest("/sessions/register", obj("id", i, "cwd", cwd.toString())));

        var artifacts = get("/sessions/" + i + "/artifacts");
        same("artifacts", new Both(sortedBy(artifacts.ref(), "path"), sortedBy(artifacts.ours(), "path")));
        assertEquals(4, artifacts.ours().json().size());
        // "modified" is the file's mtime in float seconds at full precision, as the reference's
        // os.path.getmtime (a regression test: ours once cut it to milliseconds).
        same("checkpoints", get("/sessions/" + i + "/checkpoints"));
        var text = get("/sessions/" + i + "/checkpoints/latest.md");
        assertEquals(200, text.ref().status());
        assertEquals(200, text.ours().status(), text.ours().body());
        assertEquals(text.ref().body(), text.ours().body());
    }

    @Test
    void ingestEdgeCasesTheHooksProduce() {
        // the send hook without a UVS session id sends uvs_session_id "": Claude's session_id is used
        var fallback = "cmp-edge-claude-id";
        var noUvsId = HookBodies.event("PreToolUse--Bash.json", "").put("session_id", fallback);
        same("event with an empty uvs_session_id", ingest("/events", noUvsId));
        same("GET /sessions/" + fallback, get("/sessions/" + fallback));

        var h = "cmp-edge-h";
        same("event without event_type", ingest("/events", obj("session_id", h, "tool_name", "Read")));
        same("approval without a request", ingest("/approvals", obj("session_id", h, "tool_name", "Bash", "command", "ls")));
        sameRows("GET /sessions/" + h + "/events", get("/sessions/" + h + "/events"), Set.of(h), 1);
        assertEquals("Unknown", get("/sessions/" + h + "/events").ours().json().path(0).path("event_type").asText());
        sameRows("GET /approvals", get("/approvals"), Set.of(h), 1);
        sameRows("GET /sessions", get("/sessions"), Set.of(h, fallback), 2);

        // an event that names no session at all is still stored and listed
        var marker = "cmp-orphan-" + System.nanoTime();
        same("event without a session", ingest("/events", obj("event_type", "Orphan", "command", marker)));
        var recent = get("/events?limit=1000");
        JsonCompare.assertCompatible("GET /events (the orphan)", withCommand(recent.ref().json(), marker),
                withCommand(recent.ours().json(), marker));
        assertEquals(1, withCommand(recent.ours().json(), marker).size());
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

        // The notify hook without a UVS session id posts session_id "": the reference files the
        // approval under ""; we file it under the Claude session id the request carries.
        var claudeId = "cmp-diff-claude-" + System.nanoTime();
        var request = CompatFiles.payload("PermissionRequest--Bash.json").put("session_id", claudeId);
        var orphan = ingest("/approvals", obj("session_id", "", "tool_name", "Bash", "command", "ls", "request", request));
        assertEquals(200, orphan.ref().status(), orphan.ref().body());
        assertEquals(200, orphan.ours().status(), orphan.ours().body());
        var refRow = JsonCompare.rowsOf(get("/approvals").ref().json(), Set.of("")).get(0);
        assertEquals(claudeId, refRow.path("request").path("session_id").asText());
        assertEquals(1, JsonCompare.rowsOf(get("/approvals").ours().json(), Set.of(claudeId)).size());

        // An unknown approval status: the reference lists nothing (200 []); we refuse it (422).
        var status = get("/approvals?status=bogus");
        assertEquals(200, status.ref().status());
        assertEquals(0, status.ref().json().size());
        assertEquals(422, status.ours().status(), status.ours().body());

        // A limit that is not a number: FastAPI's query validation answers 422; we answer 400
        // (bad input that is not a body). A negative limit means "no limit" to SQLite, so the
        // reference returns every event; we clamp limits to 1..1000.
        same("an event", ingest("/events", obj("session_id", g, "event_type", "Stop")));
        var notNumber = get("/events?limit=abc");
        assertEquals(422, notNumber.ref().status(), notNumber.ref().body());
        assertEquals(400, notNumber.ours().status(), notNumber.ours().body());
        var negative = get("/events?limit=-1");
        assertEquals(200, negative.ours().status());
        assertEquals(1, negative.ours().json().size(), "clamped to 1");
        assertTrue(negative.ref().json().size() >= 1, negative.ref().body());
    }

    // --- infra ---

    /** A list answer sorted by one text field (directory walks list files in no fixed order). */
    private static Api.Reply sortedBy(Api.Reply r, String field) {
        var rows = new ArrayList<JsonNode>();
        r.json().forEach(rows::add);
        rows.sort(Comparator.comparing(n -> n.path(field).asText()));
        return new Api.Reply(r.status(), Api.write(rows), r.headers());
    }

    private static ArrayNode withCommand(JsonNode list, String command) {
        var out = Api.JSON.createArrayNode();
        list.forEach(n -> {
            if (command.equals(n.path("command").asText())) out.add(n);
        });
        return out;
    }

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

    /** Both answered 200 with compatible bodies. */
    private static void same(String what, Both r) {
        sameError(what, r, 200);
    }

    /** Both answered {@code status} with compatible bodies (for errors: the same detail). */
    private static void sameError(String what, Both r, int status) {
        assertEquals(status, r.ref().status(), what + ": reference status; " + r.ref().body());
        assertEquals(status, r.ours().status(), what + ": our status; " + r.ours().body());
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
