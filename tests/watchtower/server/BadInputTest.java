package watchtower.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * Every endpoint against bad input: each case gets its status and a JSON {"detail"}, never a
 * 500, and leaves the database exactly as it was (a fingerprint of all tables is compared).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    Path dir;
    TestServer server;
    Api api;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        server = TestServer.start(dir);
        api = server.api();
        // one known session with a pending approval, so "unknown id" cases are really unknown
        assertEquals(200, api.post("/events", obj("session_id", "known", "event_type", "SessionStart", "cwd", dir.toString())).status());
        assertEquals(200, api.post("/approvals", obj("session_id", "known", "tool_name", "Bash", "command", "ls")).status());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static Stream<Arguments> badPosts() {
        var huge = "{\"session_id\":\"s\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        return Stream.of(
                // path, body, expected status
                Arguments.of("/events", "{not json", 400),
                Arguments.of("/events", "", 400),
                Arguments.of("/events", "[1,2]", 400),
                Arguments.of("/events", "\"text\"", 400),
                Arguments.of("/events", "null", 400),
                Arguments.of("/events", "{\"session_id\":\"s\"} trailing", 400),
                Arguments.of("/events", "{\"session_id\":\"s\",\"n\":NaN}", 400),
                Arguments.of("/events", "{\"session_id\":\"s\",\"n\":Infinity}", 400),
                Arguments.of("/events", "{\"session_id\":\"s\",\"prompt\":\"\\ud800\"}", 400),
                Arguments.of("/events", "{\"session_id\":\"s\",\"a\":1,\"a\":2}", 400),
                Arguments.of("/events", "{\"session_id\":\"s\",\"cwd\":[\"a\",\"b\"]}", 422),
                Arguments.of("/events", "{\"session_id\":\"s\",\"event_type\":7}", 422),
                Arguments.of("/events", "{\"session_id\":\"s\",\"tool_name\":{}}", 422),
                Arguments.of("/events", "{\"session_id\":[\"s\"]}", 422),
                Arguments.of("/events", "{\"session_id\":\"../../etc\"}", 422),
                Arguments.of("/events", "{\"session_id\":\"s\",\"wt_event_id\":5}", 422),
                Arguments.of("/events", huge, 413),
                Arguments.of("/sessions/register", "{}", 422),
                Arguments.of("/sessions/register", "{\"id\":5}", 422),
                Arguments.of("/sessions/register", "{\"id\":\"a b\"}", 422),
                Arguments.of("/sessions/register", "{\"id\":\"r1\",\"pid\":\"12\"}", 422),
                Arguments.of("/sessions/register", "{\"id\":\"r1\",\"pid\":1}", 422),
                Arguments.of("/sessions/register", "{\"id\":\"r1\",\"pid\":1.5}", 422),
                Arguments.of("/sessions/register", "{\"id\":\"r1\",\"tmux_target\":\"other:0.1\"}", 422),
                Arguments.of("/sessions/register", "{\"id\":\"r1\",\"tmux\":\"uvs_someone_else\"}", 422),
                Arguments.of("/approvals", "{}", 422),
                Arguments.of("/approvals", "{\"session_id\":\"known\",\"request\":[1]}", 422),
                Arguments.of("/approvals", "{\"session_id\":\"known\",\"command\":false}", 422),
                Arguments.of("/sessions/known/state", "{\"state\":\"sleeping\"}", 422),
                Arguments.of("/sessions/known/state", "{}", 422),
                Arguments.of("/sessions/unknown/state", "{\"state\":\"idle\"}", 404),
                Arguments.of("/sessions/known/tokens", "{\"input_tokens\":-1}", 422),
                Arguments.of("/sessions/known/tokens", "{\"input_tokens\":\"many\"}", 422),
                Arguments.of("/sessions/known/tokens", "{\"output_tokens\":1e400}", 422),
                Arguments.of("/sessions/unknown/tokens", "{\"input_tokens\":1}", 404),
                Arguments.of("/approvals/999/decide", "{\"decision\":\"approve\"}", 404),
                Arguments.of("/approvals/abc/decide", "{\"decision\":\"approve\"}", 404),
                Arguments.of("/approvals/1/decide", "{\"decision\":\"maybe\"}", 422),
                Arguments.of("/approvals/1/decide", "{}", 422),
                Arguments.of("/settings", "{\"key\":\"terminal_app\",\"value\":\"xterm\"}", 400),
                Arguments.of("/settings", "{\"key\":\"evil\",\"value\":\"x\"}", 400),
                Arguments.of("/settings", "{\"key\":\"terminal_app\"}", 422),
                Arguments.of("/settings", "{\"key\":1,\"value\":\"auto\"}", 422),
                Arguments.of("/no/such/route", "{}", 404),
                Arguments.of("/sessions", "{}", 405),
                Arguments.of("/health", "{}", 405));
    }

    @ParameterizedTest(name = "POST {0} {2}")
    @MethodSource("badPosts")
    void badPostGetsItsStatusAndDetailAndChangesNothing(String path, String body, int status) throws Exception {
        var before = fingerprint();
        var reply = api.postRaw(path, body, "application/json", true);
        assertEquals(status, reply.status(), () -> "body: " + reply.body());
        assertNotNull(reply.detail(), "a JSON {\"detail\"} explains the refusal");
        assertFalse(reply.detail().contains("Exception"), "no exception text reaches the client: " + reply.detail());
        assertEquals(before, fingerprint(), "a refused request changes nothing");
    }

    static Stream<Arguments> badGets() {
        return Stream.of(
                Arguments.of("/sessions/unknown", 404),
                Arguments.of("/sessions/bad%2Fid", 404),
                Arguments.of("/sessions/unknown/events", 404),
                Arguments.of("/sessions/known/events?limit=abc", 400),
                Arguments.of("/approvals?status=weird", 422),
                Arguments.of("/sessions?state=weird", 422),
                Arguments.of("/events/search", 422),
                Arguments.of("/sessions/unknown/artifacts", 404),
                Arguments.of("/sessions/unknown/checkpoints", 404),
                Arguments.of("/sessions/known/checkpoints/..%2F..%2Fetc%2Fpasswd", 400),
                Arguments.of("/sessions/known/checkpoints/missing.md", 404),
                Arguments.of("/static/..%2F..%2Fetc%2Fpasswd", 404),
                Arguments.of("/static/nothing-here.js", 404),
                Arguments.of("/nope", 404));
    }

    @ParameterizedTest(name = "GET {0} {1}")
    @MethodSource("badGets")
    void badGetGetsItsStatusAndDetail(String path, int status) {
        var reply = api.get(path);
        assertEquals(status, reply.status(), () -> "body: " + reply.body());
        assertNotNull(reply.detail());
    }

    @Test
    void limitsAreClampedNotRefused() {
        for (var q : List.of("-5", "0", "999999999999", "1000000")) {
            var reply = api.get("/events?limit=" + q);
            assertEquals(200, reply.status(), q);
            assertTrue(reply.json().isArray());
        }
        assertEquals(1, api.get("/events?limit=-5").json().size(), "a negative limit is clamped to 1");
    }

    @Test
    void wrongContentTypeIs415AndChangesNothing() throws Exception {
        var before = fingerprint();
        var reply = api.postRaw("/events", "{\"session_id\":\"s\"}", "text/plain", true);
        assertEquals(415, reply.status());
        assertEquals(before, fingerprint());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        var reply = api.method("PUT", "/sessions/known");
        assertEquals(405, reply.status());
        assertTrue(reply.headers().firstValue("Allow").orElse("").contains("GET"));
    }

    @Test
    void hostileStringsAreStoredAndReturnedIntact() {
        var hostile = "'; DROP TABLE events; -- <script>alert(1)</script> \u0000 \uD83D\uDE00 \\ \"";
        assertEquals(200, api.post("/events", obj("session_id", "hostile", "event_type", "UserPromptSubmit",
                "prompt", hostile, "session_name", hostile)).status());
        var session = api.get("/sessions/hostile").json();
        assertEquals(hostile, session.path("name").asText());
        var events = api.get("/sessions/hostile/events").json();
        assertEquals(hostile, events.get(0).path("payload").path("prompt").asText());
        assertEquals(200, api.get("/sessions").status(), "later reads still work");
    }

    @Test
    void invalidUtf8BodyIs400() throws Exception {
        var before = fingerprint();
        var bytes = "{\"session_id\":\"s\",\"x\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(400, api.postBytes("/events", bytes).status());
        assertEquals(before, fingerprint());
    }

    // --- infra ---

    /** Every row of every table, in full: any write shows up here (on SQLite and on PostgreSQL). */
    private String fingerprint() throws Exception {
        try (var c = server.jdbc(); var st = c.createStatement()) {
            var sb = new StringBuilder();
            for (var table : List.of("sessions", "events", "approvals", "settings")) {
                sb.append(table).append(':');
                try (var rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) sb.append(rs.getString(i)).append('|');
                        sb.append('\n');
                    }
                }
            }
            return sb.toString();
        }
    }
}
