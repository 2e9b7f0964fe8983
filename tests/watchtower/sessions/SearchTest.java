package watchtower.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static watchtower.testing.Api.obj;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.Eventually;
import watchtower.testing.TestDb;
import watchtower.testing.TestServer;

/** GET /events/search: substring search over what people look for in events, indexed. */
class SearchTest {
    @TempDir
    Path dir;
    TestServer server;
    Api api;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        api = server.api();
        api.post("/events", obj("session_id", "a", "event_type", "UserPromptSubmit", "prompt", "Refactor the billing module"));
        api.post("/events", obj("session_id", "a", "event_type", "PreToolUse", "tool_name", "Bash",
                "tool_input", obj("command", "rm -rf build/tmp", "description", "Clean the build")));
        api.post("/events", obj("session_id", "b", "event_type", "PreToolUse", "tool_name", "Edit",
                "tool_input", obj("file_path", "/src/billing/Invoice.java")));
        api.post("/events", obj("session_id", "b", "event_type", "Notification", "message", "Claude needs your permission"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void findsSubstringsOfPromptsCommandsFilesAndMessagesNewestFirst() {
        assertEquals(List.of("Edit", "UserPromptSubmit"), types(search("billing")));
        assertEquals(List.of("Bash"), types(search("-rf build")));
        assertEquals(List.of("Edit"), types(search("Invoice.java")));
        assertEquals(List.of("Notification"), types(search("needs your")));
        assertEquals(List.of(), types(search("nothing like this")));
    }

    @Test
    void isCaseInsensitiveAndTakesQuotesLiterally() {
        assertEquals(2, search("BILLING").size());
        assertEquals(0, search("\"billing\" OR x").size(), "query syntax is not interpreted");
    }

    @Test
    void filtersBySessionAndHandlesShortQueries() {
        assertEquals(List.of("UserPromptSubmit"), types(api.get("/events/search?session_id=a&q=billing").json()));
        assertEquals(List.of("Bash"), types(search("rf")), "two characters: a scan of recent payloads");
    }

    @Test
    void deletedSessionsLeaveNothingInTheIndex() throws Exception {
        search("billing"); // every event indexed
        // delete through the store, as DELETE /sessions/{id} does
        server.server().store().writer().execute(tx -> server.server().store().sessions().delete(tx, "b"));
        assertEquals(List.of("UserPromptSubmit"), types(search("billing")));
        // SQLite keeps the search text in an index file of its own, which forgets the deleted events
        // just after their delete; PostgreSQL keeps it on the event row
        Eventually.until("the index holds only session a's two events", this::indexRows, n -> n == 2);
    }

    private int indexRows() {
        var sql = "SELECT count(*) FROM " + (TestDb.isPostgres() ? "events" : "events_fts");
        try (var c = TestDb.isPostgres() ? server.jdbc() : server.searchJdbc();
             var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    // --- infra ---

    private com.fasterxml.jackson.databind.JsonNode search(String q) {
        var reply = api.get("/events/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static List<String> types(com.fasterxml.jackson.databind.JsonNode rows) {
        return StreamSupport.stream(rows.spliterator(), false)
                .map(r -> r.path("tool_name").isTextual() ? r.path("tool_name").asText() : r.path("event_type").asText())
                .toList();
    }
}
