package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static watchtower.testing.Api.obj;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Config;
import watchtower.testing.Eventually;
import watchtower.testing.TestDb;
import watchtower.testing.TestServer;

/** SQLite's search index is filled behind ingest: soon without a search, at once for one, and after a crash. */
class SearchIndexTest {
    @TempDir
    Path dir;

    @Test
    void eventsAreIndexedInTheBackgroundWithoutASearch() throws Exception {
        TestDb.assumeSqlite("reads events_fts, SQLite's own index table");
        try (var server = TestServer.start(dir)) {
            for (int i = 0; i < 50; i++) post(server, "s" + (i % 3), "deploy step " + i);
            Eventually.until("every event in the index", () -> indexed(server), ids -> ids.size() == 50);
            assertEquals(stored(server), indexed(server), "each event once, by its id");
        }
    }

    @Test
    void aSearchFindsWhatWasJustAcknowledged() throws Exception {
        try (var server = TestServer.start(dir)) {
            for (int i = 0; i < 20; i++) {
                post(server, "s", "unique-marker-" + i);
                var found = server.api().get("/events/search?q=unique-marker-" + i).json();
                assertEquals(1, found.size(), "marker " + i);
            }
        }
    }

    @Test
    void eventsStoredButNotIndexedWhenTheServerStoppedAreIndexedAfterTheRestart() throws Exception {
        TestDb.assumeSqlite("reads and edits events_fts, SQLite's own index table");
        var config = Config.forTests(dir);
        try (var server = TestServer.start(config)) {
            for (int i = 0; i < 10; i++) post(server, "s", "before-crash-" + i);
            server.api().get("/events/search?q=before-crash"); // indexed now
            // what a crash between a write and its indexing leaves: the events without their index rows
            try (var c = server.jdbc(); var st = c.createStatement()) {
                st.executeUpdate("DELETE FROM events_fts WHERE rowid > (SELECT max(id) - 4 FROM events)");
            }
        }
        try (var server = TestServer.start(config)) {
            Eventually.until("the four missing index rows restored", () -> indexed(server), ids -> ids.size() == 10);
            assertEquals(stored(server), indexed(server));
            for (int i = 6; i < 10; i++) {
                assertEquals(1, server.api().get("/events/search?q=before-crash-" + i).json().size(), "event " + i);
            }
        }
    }

    // --- infra ---

    private static void post(TestServer server, String session, String command) {
        assertEquals(200, server.api().post("/events", obj("session_id", session, "event_type", "PreToolUse",
                "tool_name", "Bash", "command", command)).status());
    }

    private static List<Long> stored(TestServer server) {
        return ids(server, "SELECT id FROM events ORDER BY id");
    }

    private static List<Long> indexed(TestServer server) {
        return ids(server, "SELECT rowid FROM events_fts ORDER BY rowid");
    }

    private static List<Long> ids(TestServer server, String sql) {
        var out = new ArrayList<Long>();
        try (var c = server.jdbc(); var rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) out.add(rs.getLong(1));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
