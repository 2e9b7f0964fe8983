package watchtower.compat;

import watchtower.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * The reference bash hooks (watchtower-send/notify/end/tokens.sh of uv-suite@0.32.0), run as
 * real processes with bash, jq, curl and python3, against our server: each must have the
 * effect it has against the reference. They send without the install token, which our
 * server accepts on loopback by default (tokenless_ingest "auto"), so this class never posts
 * to an ingest endpoint with the token itself.
 */
class ReferenceHooksTest {
    static final String SID = "hooks-compat-1";
    static final Map<String, Object> METADATA = obj("uvs_session_id", SID, "name", "compat hooks",
            "kind", "long-running", "purpose", "run the reference hooks", "priority", "high", "persona", "professional");

    @TempDir
    Path dir;
    TestServer server;
    Api api;
    BashHooks hooks;

    @BeforeEach
    void start() throws Exception {
        BashHooks.assumeToolsPresent();
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
        hooks = new BashHooks(server.url(), dir.resolve("project"), dir.resolve("work"));
        hooks.writeMetadata(SID, METADATA);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void sendStoresEventsAndUpsertsTheSessionWithItsMetadata() {
        send("PreToolUse", "PreToolUse--Bash.json");
        awaitEvents(1);
        send("UserPromptSubmit", "UserPromptSubmit.json");
        var events = awaitEvents(2);

        // newest first
        assertEquals("UserPromptSubmit", events.get(0).path("event_type").asText());
        assertTrue(events.get(0).path("tool_name").isNull());
        assertEquals("PreToolUse", events.get(1).path("event_type").asText());
        assertEquals("Bash", events.get(1).path("tool_name").asText());
        var payload = events.get(1).path("payload");
        assertEquals("touch /tmp/demo-file", payload.path("tool_input").path("command").asText());
        assertEquals(SID, payload.path("uvs_session_id").asText());
        assertEquals("project", payload.path("source_app").asText());

        var session = api.get("/sessions/" + SID).json();
        for (var key : List.of("name", "kind", "purpose", "priority", "persona")) {
            assertEquals(METADATA.get(key), session.path(key).asText(), key);
        }
        assertEquals("/home/user/project", session.path("cwd").asText());
        assertEquals("active", session.path("state").asText());

        var listed = listed(SID);
        assertEquals(1, listed.path("tool_calls").asInt(), "one of the two events names a tool: " + listed);
        assertEquals(events.get(0).path("created_at"), listed.path("last_event_at"));
        assertTrue(JsonCompare.isTimestamp(listed.path("last_event_at")), listed.toString());
    }

    @Test
    void permissionRequestOpensOneApprovalAndTheNotificationRightAfterRefreshesIt() {
        startSession();
        hooks.run("watchtower-notify.sh", SID, fixture("PermissionRequest--Bash.json")).assertQuietSuccess();
        var first = Eventually.until("a pending approval", () -> pending(SID), l -> l.size() == 1).get(0);
        assertEquals("Bash", first.path("tool_name").asText());
        assertEquals("touch /tmp/demo-file", first.path("command").asText());
        assertEquals("awaiting_human", api.get("/sessions/" + SID).json().path("state").asText());

        hooks.run("watchtower-notify.sh", SID, fixture("Notification--permission_prompt.json")).assertQuietSuccess();
        var refreshed = Eventually.until("the approval refreshed by the Notification", () -> pending(SID),
                l -> l.size() != 1 || "Notification".equals(l.get(0).path("request").path("hook_event_name").asText()));
        assertEquals(1, refreshed.size(), "still one pending approval: " + refreshed);
        var approval = refreshed.get(0);
        assertEquals(first.path("id"), approval.path("id"));
        // the tool-specific request wins over the generic Notification
        assertEquals("Bash", approval.path("tool_name").asText());
        assertEquals("touch /tmp/demo-file", approval.path("command").asText());
    }

    @Test
    void aNotificationFirstIsTakenOverByThePermissionRequestThatFollows() {
        startSession();
        hooks.run("watchtower-notify.sh", SID, fixture("Notification--permission_prompt.json")).assertQuietSuccess();
        var first = Eventually.until("a pending approval", () -> pending(SID), l -> l.size() == 1).get(0);
        assertEquals("Claude needs your permission", first.path("command").asText());

        hooks.run("watchtower-notify.sh", SID, fixture("PermissionRequest--Bash.json")).assertQuietSuccess();
        var refreshed = Eventually.until("the approval refreshed by the PermissionRequest", () -> pending(SID),
                l -> l.size() != 1 || "Bash".equals(l.get(0).path("tool_name").asText()));
        assertEquals(1, refreshed.size(), "still one pending approval: " + refreshed);
        assertEquals(first.path("id"), refreshed.get(0).path("id"));
        assertEquals("touch /tmp/demo-file", refreshed.get(0).path("command").asText());
    }

    @Test
    void notifyIgnoresNotificationsOfOtherTypes() {
        startSession();
        // The hook filters on a top-level "type" (permission_prompt and idle_prompt pass). Note that
        // Claude Code itself sends "notification_type", which this filter never sees; see the report.
        var ignored = CompatFiles.payload("Notification--permission_prompt.json")
                .put("type", "auth_success").put("notification_type", "auth_success").put("message", "Signed in");
        var run = hooks.runToCompletion("watchtower-notify.sh", SID, ignored.toString()).assertQuietSuccess();
        assertEquals(List.of(), run.curlCalls(), "the hook must not call the server for auth_success");
        assertEquals(List.of(), approvalsOf(SID, "all"));

        // control: the same harness does see (and waits for) a notification the hook forwards
        var forwarded = CompatFiles.payload("Notification--idle_prompt.json").put("type", "idle_prompt");
        var control = hooks.runToCompletion("watchtower-notify.sh", SID, forwarded.toString()).assertQuietSuccess();
        assertEquals(1, control.curlCalls().size(), control.toString());
        // "waiting for your input" is a session state, not an approval: approving it would type into the prompt
        var session = Eventually.until("the session idle", () -> api.get("/sessions/" + SID).json(),
                s -> "idle_prompt".equals(s.path("attention").asText()));
        assertEquals("idle", session.path("state").asText());
        assertEquals(List.of(), approvalsOf(SID, "all"));
    }

    @Test
    void userPromptSubmitResolvesThePendingApprovalAndReactivatesTheSession() {
        startSession();
        hooks.run("watchtower-notify.sh", SID, fixture("PermissionRequest--Bash.json")).assertQuietSuccess();
        var approval = Eventually.until("a pending approval", () -> pending(SID), l -> l.size() == 1).get(0);
        assertEquals("awaiting_human", api.get("/sessions/" + SID).json().path("state").asText());

        send("UserPromptSubmit", "UserPromptSubmit.json");
        var resolved = Eventually.until("the approval resolved", () -> approvalsOf(SID, "resolved"), l -> l.size() == 1).get(0);
        assertEquals(approval.path("id"), resolved.path("id"));
        assertTrue(JsonCompare.isTimestamp(resolved.path("decided_at")), resolved.toString());
        assertEquals(List.of(), pending(SID));
        assertEquals("active", api.get("/sessions/" + SID).json().path("state").asText());
    }

    @Test
    void endTerminatesTheSession() {
        startSession();
        assertTrue(api.get("/sessions/" + SID).json().path("ended_at").isNull());
        hooks.run("watchtower-end.sh", SID, fixture("SessionEnd.json")).assertQuietSuccess();
        var session = Eventually.until("the session terminated", () -> api.get("/sessions/" + SID).json(),
                s -> "terminated".equals(s.path("state").asText()));
        assertTrue(JsonCompare.isTimestamp(session.path("ended_at")), session.toString());
    }

    @Test
    void tokensReportsTheTranscriptTotalsAsTheReferenceSnippetSumsThem() throws IOException {
        startSession();
        var transcript = Files.copy(CompatFiles.claudeFixtures().resolve("transcript-sample.jsonl"),
                dir.resolve("transcript.jsonl"));
        var expected = referenceTotals(transcript);
        assertTrue(expected[0] > 0 && expected[1] > 0, "the sample transcript carries usage");
        var stop = CompatFiles.payload("Stop.json").put("transcript_path", transcript.toString());

        hooks.run("watchtower-tokens.sh", SID, stop.toString()).assertQuietSuccess();
        var session = Eventually.until("the token totals", () -> api.get("/sessions/" + SID).json(),
                s -> !s.path("input_tokens").isNull());
        assertEquals(expected[0], session.path("input_tokens").asLong(), session.toString());
        assertEquals(expected[1], session.path("output_tokens").asLong(), session.toString());
    }

    // --- infra ---

    private void send(String event, String fixtureName) {
        hooks.run("watchtower-send.sh", SID, fixture(fixtureName), event).assertQuietSuccess();
    }

    /** A session stored through the send hook, so later hooks act on a known session. */
    private void startSession() {
        send("SessionStart", "SessionStart.json");
        awaitEvents(1);
    }

    private List<JsonNode> awaitEvents(int n) {
        return Eventually.until(n + " stored event(s)", this::events, l -> l.size() >= n);
    }

    private List<JsonNode> events() {
        var r = api.get("/sessions/" + SID + "/events");
        return r.status() == 200 ? list(r.json()) : List.of();
    }

    private JsonNode listed(String id) {
        for (var s : api.get("/sessions").json()) {
            if (s.path("id").asText().equals(id)) return s;
        }
        throw new AssertionError("session " + id + " not in GET /sessions");
    }

    private List<JsonNode> pending(String sid) {
        return approvalsOf(sid, "pending");
    }

    private List<JsonNode> approvalsOf(String sid, String status) {
        var r = api.get("/approvals?status=" + status);
        assertEquals(200, r.status(), r.body());
        return list(r.json()).stream().filter(a -> sid.equals(a.path("session_id").asText())).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        var out = new ArrayList<JsonNode>();
        array.forEach(out::add);
        return out;
    }

    private static String fixture(String name) {
        return CompatFiles.payload(name).toString();
    }

    /**
     * The sums watchtower-tokens.sh's python snippet makes, written again here: over every line,
     * input = input + cache read + cache creation tokens, output = output tokens, where usage is
     * message.usage or a top-level usage.
     */
    static long[] referenceTotals(Path transcript) throws IOException {
        long in = 0;
        long out = 0;
        for (var line : Files.readAllLines(transcript)) {
            if (line.isBlank()) continue;
            JsonNode o;
            try {
                o = Api.JSON.readTree(line);
            } catch (IOException e) {
                continue;
            }
            var usage = o.path("message").path("usage");
            if (!usage.isObject() || usage.isEmpty()) usage = o.path("usage");
            if (!(usage instanceof ObjectNode)) continue;
            in += usage.path("input_tokens").asLong() + usage.path("cache_read_input_tokens").asLong()
                    + usage.path("cache_creation_input_tokens").asLong();
            out += usage.path("output_tokens").asLong();
        }
        return new long[] {in, out};
    }
}
