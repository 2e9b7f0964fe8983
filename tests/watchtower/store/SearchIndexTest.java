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

/**
 * SQLite's search index, a file of its own filled behind ingest: soon without a search, at once
 * for one, after a crash, and again from scratch when its file is lost or belongs to another database.
 */
class SearchIndexTest {
    @TempDir
    Path dir;

    @Test
    void eventsAreIndexedInTheBackgroundWithoutASearch() throws Exception {
        TestDb.assumeSqlite("reads SQLite's own index file");
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
        TestDb.assumeSqlite("reads and edits SQLite's own index file");
        var config = Config.forTests(dir);
        try (var server = TestServer.start(config)) {
            for (int i = 0; i < 10; i++) post(server, "s", "before-crash-" + i);
            server.api().get("/events/search?q=before-crash"); // indexed now
        }
        // what a crash between a write and its indexing leaves: the last events neither in the index
        // nor counted as indexed
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + SearchIndex.fileFor(dir.resolve("watchtower.db")));
             var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM events_fts WHERE rowid > (SELECT through - 4 FROM progress)");
            st.executeUpdate("UPDATE progress SET through = through - 4");
        }
        try (var server = TestServer.start(config)) {
            Eventually.until("the four missing index rows restored", () -> indexed(server), ids -> ids.size() == 10);
            assertEquals(stored(server), indexed(server));
            for (int i = 6; i < 10; i++) {
                assertEquals(1, server.api().get("/events/search?q=before-crash-" + i).json().size(), "event " + i);
            }
        }
    }

    @Test
    void aLostIndexFileIsBuiltAgainFromTheStoredEvents() throws Exception {
        TestDb.assumeSqlite("deletes SQLite's own index file");
        var config = Config.forTests(dir);
        try (var server = TestServer.start(config)) {
            for (int i = 0; i < 10; i++) post(server, "s", "kept-" + i);
        }
        var index = SearchIndex.fileFor(dir.resolve("watchtower.db"));
        for (var suffix : new String[] {"", "-wal", "-shm"}) java.nio.file.Files.deleteIfExists(Path.of(index + suffix));
        try (var server = TestServer.start(config)) {
            Eventually.until("GET /health reports no search backlog",
                    () -> server.api().get("/health").json().path("search_backlog").asLong(-1), n -> n == 0);
            assertEquals(stored(server), indexed(server), "no backlog: every stored event is in the index");
            assertEquals(10, server.api().get("/events/search?q=kept-").json().size());
        }
    }

    @Test
    void anIndexBuiltForAnotherDatabaseIsBuiltAgain() throws Exception {
        TestDb.assumeSqlite("moves SQLite's own index file between databases");
        var big = Config.forTests(dir.resolve("big"));
        try (var server = TestServer.start(big)) {
            for (int i = 0; i < 30; i++) post(server, "s", "old-database-" + i);
            server.api().get("/events/search?q=old-database"); // all 30 indexed
        }
        var small = Config.forTests(dir.resolve("small"));
        try (var server = TestServer.start(small)) {
            for (int i = 0; i < 5; i++) post(server, "s", "new-database-" + i);
        }
        // the new database's file, beside the old database's index: ids 1-5 look indexed already
        java.nio.file.Files.copy(SearchIndex.fileFor(dir.resolve("big/watchtower.db")), SearchIndex.fileFor(dir.resolve("small/watchtower.db")),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var server = TestServer.start(small)) {
            assertEquals(5, server.api().get("/events/search?q=new-database-").json().size());
            assertEquals(0, server.api().get("/events/search?q=old-database").json().size());
            assertEquals(stored(server), indexed(server));
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
        return ids(server, "SELECT rowid FROM events_fts ORDER BY rowid", true);
    }

    private static List<Long> ids(TestServer server, String sql) {
        return ids(server, sql, false);
    }

    private static List<Long> ids(TestServer server, String sql, boolean index) {
        var out = new ArrayList<Long>();
        try (var c = index ? server.searchJdbc() : server.jdbc(); var rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) out.add(rs.getLong(1));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
