package watchtower.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * Reference databases open in place: the one shipped in uv-suite@0.32.0 and one written by the
 * running reference server. Every session, event and approval stays readable through our API
 * with the values the file holds, the counters we add are backfilled from the events table, new
 * events can be added, and opening the file again changes nothing (user_version 2).
 */
class ReferenceDatabaseTest {

    @Test
    void theDatabaseShippedWithTheReferenceOpensInPlace(@TempDir Path dir) throws Exception {
        var db = Files.copy(CompatFiles.referenceDatabase(), dir.resolve("watchtower.db"));
        assertEquals(0, DbSnapshot.userVersion(db), "a reference database has no schema version");
        var before = DbSnapshot.read(db);
        assertFalse(before.sessions().isEmpty() || before.events().isEmpty() || before.approvals().isEmpty(),
                "the shipped database holds sessions, events and approvals");

        openTwiceAndCheck(dir, db, before, before.sessions().get(0).path("id").asText());
    }

    @Test
    void aDatabaseWrittenByTheRunningReferenceServerOpensInPlace(@TempDir Path dir) throws Exception {
        var db = dir.resolve("peer/watchtower.db");
        var answers = new LinkedHashMap<String, JsonNode>();
        try (var peer = ReferencePeer.startOrSkip(db, dir.resolve("peer"))) {
            var api = peer.api(null);
            writeThroughTheReferenceApi(api, Files.createDirectories(dir.resolve("project")));
            for (var path : List.of("/sessions", "/sessions/peer-s1", "/sessions/peer-s2", "/sessions/peer-s3",
                    "/sessions/peer-s1/events?limit=1000", "/sessions/peer-s2/events?limit=1000", "/events?limit=1000",
                    "/approvals?status=pending", "/approvals?status=approved", "/approvals?status=resolved", "/settings")) {
                var r = Http1.get(api, path);
                assertEquals(200, r.status(), "reference " + path + ": " + r.body());
                answers.put(path, r.json());
            }
        }
        var before = DbSnapshot.read(db);
        assertEquals(11, before.events().size(), "events the reference stored");
        assertEquals(3, before.sessions().size());
        assertEquals(List.of("resolved", "approved", "pending"), List.copyOf(before.approvalStatuses()));

        // what the reference answered before it stopped, we answer from its file
        try (var server = TestServer.start(Config.forTests(dir.resolve("server")).withDb(db))) {
            for (var answer : answers.entrySet()) {
                var r = Http1.get(server.api(), answer.getKey());
                assertEquals(200, r.status(), answer.getKey() + ": " + r.body());
                var expected = answer.getValue().isArray() ? JsonCompare.sortedById(answer.getValue()) : answer.getValue();
                var actual = r.json().isArray() ? JsonCompare.sortedById(r.json()) : r.json();
                JsonCompare.assertSameValues("GET " + answer.getKey(), expected, actual);
            }
        }
        openTwiceAndCheck(dir, db, before, "peer-s1");
    }

    // --- infra ---

    /**
     * Opens {@code db} with our server, checks it serves {@code before}, adds an event to
     * {@code sid}; then opens it a second time and checks that nothing changed on the way.
     */
    private static void openTwiceAndCheck(Path dir, Path db, DbSnapshot before, String sid) throws Exception {
        var config = Config.forTests(dir.resolve("server")).withDb(db);
        long newEventId;
        try (var server = TestServer.start(config)) {
            var api = server.api();
            assertServes(api, before);
            newEventId = addEvent(api, before, sid);
        }
        // the same schema a new database gets (our version is 2 or later; a reference file has 0)
        var fresh = freshDatabase(dir);
        int version = DbSnapshot.userVersion(db);
        assertTrue(version >= 2, "user_version after migrating: " + version);
        assertEquals(DbSnapshot.userVersion(fresh), version, "migrated to the version a new database gets");
        for (var table : List.of("sessions", "events", "approvals", "settings")) {
            assertEquals(DbSnapshot.columns(fresh, table), DbSnapshot.columns(db, table), table + " columns");
        }
        var after = DbSnapshot.read(db);
        assertEquals(before.events().size() + 1, after.events().size());
        assertEquals(newEventId, after.events().get(after.events().size() - 1).path("id").asLong());
        for (var table : List.of("sessions", "events", "approvals")) {
            var columns = DbSnapshot.columns(db, table);
            var reference = switch (table) {
                case "sessions" -> DbSnapshot.SESSION_COLUMNS;
                case "events" -> DbSnapshot.EVENT_COLUMNS;
                default -> DbSnapshot.APPROVAL_COLUMNS;
            };
            assertTrue(columns.containsAll(reference), table + " keeps the reference columns: " + columns);
        }

        // the migration ran once: a second open changes neither the data nor the counters
        try (var server = TestServer.start(config)) {
            assertServes(server.api(), after);
        }
        assertEquals(version, DbSnapshot.userVersion(db));
        var again = DbSnapshot.read(db);
        assertEquals(after, again, "opening the database again changed it");
    }

    /** A database our server created from nothing: the schema a migrated one must match. */
    private static Path freshDatabase(Path dir) throws Exception {
        var config = Config.forTests(dir.resolve("fresh"));
        try (var server = TestServer.start(config)) {
            assertEquals(200, Http1.get(server.api(), "/health").status());
        }
        return ((DbTarget.SqliteFile) config.db()).file();
    }

    /** Every row of the snapshot comes back from the API with the values the file holds. */
    private static void assertServes(Api api, DbSnapshot db) {
        var listed = JsonCompare.sortedById(get(api, "/sessions?limit=1000"));
        assertEquals(db.sessions().size(), listed.size(), "GET /sessions lists every session");
        for (int i = 0; i < listed.size(); i++) {
            var expected = db.sessions().get(i);
            var id = expected.path("id").asText();
            var row = listed.get(i);
            JsonCompare.assertSameValues("GET /sessions [" + id + "]", expected, row);
            assertEquals(db.toolCalls().get(id).longValue(), row.path("tool_calls").asLong(-1), "tool_calls of " + id);
            var last = db.lastEventAt().get(id);
            assertEquals(last == null ? NullNode.instance : Api.JSON.getNodeFactory().textNode(last),
                    row.path("last_event_at"), "last_event_at of " + id);
            JsonCompare.assertSameValues("GET /sessions/" + id, expected, get(api, "/sessions/" + id));
            var events = Api.JSON.valueToTree(db.eventsOf(id));
            JsonCompare.assertSameValues("GET /sessions/" + id + "/events", (JsonNode) events,
                    JsonCompare.sortedById(get(api, "/sessions/" + id + "/events?limit=1000")));
        }

        var recent = JsonCompare.sortedById(get(api, "/events?limit=1000"));
        var expectedRecent = Api.JSON.createArrayNode();
        for (var e : db.events()) expectedRecent.add(e.deepCopy().without("payload"));
        JsonCompare.assertSameValues("GET /events", expectedRecent, recent);

        int approvals = 0;
        for (var status : db.approvalStatuses()) {
            var rows = JsonCompare.sortedById(get(api, "/approvals?status=" + status));
            JsonCompare.assertSameValues("GET /approvals?status=" + status, Api.JSON.valueToTree(db.approvalsWith(status)), rows);
            approvals += rows.size();
        }
        assertEquals(db.approvals().size(), approvals, "every approval is listed under its status");

        var settings = get(api, "/settings");
        db.settings().forEach((k, v) -> assertEquals(v, settings.path(k).asText(null), "setting " + k));
    }

    /** Adds a tool event to {@code sid} as the reference send hook would (no token); returns its id. */
    private static long addEvent(Api api, DbSnapshot before, String sid) {
        long maxId = before.events().stream().mapToLong(e -> e.path("id").asLong()).max().orElse(0);
        var r = Http1.post(api, "/events", obj("uvs_session_id", sid, "event_type", "PreToolUse", "tool_name", "Read",
                "tool_input", obj("file_path", "/tmp/x")), false);
        assertEquals(200, r.status(), r.body());
        var events = get(api, "/sessions/" + sid + "/events?limit=1");
        var added = events.get(0);
        assertTrue(added.path("id").asLong() > maxId, "new ids continue after the reference's: " + added);
        assertEquals("Read", added.path("tool_name").asText());
        var session = JsonCompare.rowsOf(get(api, "/sessions"), Set.of(sid)).get(0);
        assertEquals(before.toolCalls().get(sid) + 1, session.path("tool_calls").asLong(), session.toString());
        assertEquals(added.path("created_at"), session.path("last_event_at"));
        return added.path("id").asLong();
    }

    /** Three sessions, events, approvals (refreshed, resolved, decided, pending), tokens, state, a setting. */
    private static void writeThroughTheReferenceApi(Api api, Path project) {
        post(api, "/sessions/register", obj("id", "peer-s1", "name", "one", "persona", "professional",
                "cwd", project.toString(), "pid", 4242, "tmux_target", "uvs_peer-s1"));
        for (var fixture : List.of("SessionStart.json", "PreToolUse--Bash.json", "PermissionRequest--Bash.json")) {
            post(api, "/events", HookBodies.event(fixture, "peer-s1"));
        }
        post(api, "/approvals", HookBodies.approval("PermissionRequest--Bash.json", "peer-s1"));
        post(api, "/approvals", HookBodies.approval("Notification--permission_prompt.json", "peer-s1"));
        for (var fixture : List.of("PostToolUse--Bash.json", "UserPromptSubmit.json")) {
            post(api, "/events", HookBodies.event(fixture, "peer-s1"));
        }
        post(api, "/sessions/peer-s1/tokens", obj("input_tokens", 13332, "output_tokens", 88));

        for (var fixture : List.of("UserPromptSubmit.json", "PreToolUse--Write.json", "PermissionRequest--Write.json")) {
            post(api, "/events", HookBodies.event(fixture, "peer-s2"));
        }
        var id = post(api, "/approvals", HookBodies.approval("PermissionRequest--Write.json", "peer-s2")).path("id").asLong();
        post(api, "/approvals/" + id + "/decide", obj("decision", "approve", "decided_by", "compat-test"));
        post(api, "/events", HookBodies.event("Stop.json", "peer-s2"));
        post(api, "/approvals", HookBodies.approval("Notification--idle_prompt.json", "peer-s2"));
        post(api, "/sessions/peer-s2/state", obj("state", "idle"));

        post(api, "/sessions/register", obj("id", "peer-s3", "name", "three"));
        post(api, "/events", HookBodies.event("SessionEnd.json", "peer-s3"));
        post(api, "/sessions/peer-s3/state", obj("state", "terminated"));
        post(api, "/events", obj("event_type", "Orphan", "note", "an event without a session"));
        post(api, "/settings", obj("key", "terminal_app", "value", "iterm"));
    }

    private static JsonNode post(Api api, String path, Object body) {
        var r = Http1.post(api, path, body, false);
        assertEquals(200, r.status(), "reference " + path + ": " + r.body());
        return r.json();
    }

    private static JsonNode get(Api api, String path) {
        var r = Http1.get(api, path);
        assertEquals(200, r.status(), path + ": " + r.body());
        return r.json();
    }
}
