package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Config;
import watchtower.testing.ServerProcess;
import watchtower.testing.TestDb;
import watchtower.testing.TestServer;

/** The SQLite file is where it was asked for, whatever its name, and this process's alone while it runs. */
class SqliteFileTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseInAFolderNamedWithUriCharactersIsCreatedThereAndWorks() throws Exception {
        TestDb.assumeSqlite("names a SQLite file");
        var folder = dir.resolve("a b%20c?d#e%3F&vfs=unix");
        var file = folder.resolve("watchtower.db");
        try (var server = TestServer.start(Config.forTests(dir).withDb(file))) {
            for (int i = 0; i < 3; i++) {
                var r = server.api().post("/events", obj("session_id", "s", "event_type", "Notification",
                        "message", "odd folder " + i));
                assertEquals(200, r.status());
            }
            assertEquals(3, server.api().get("/events/search?q=odd+folder").json().size(), "searched through its index");
        }
        try (var files = Stream.of(dir, folder).flatMap(SqliteFileTest::list)) {
            var names = files.collect(Collectors.toSet());
            assertTrue(names.containsAll(Set.of("watchtower.db", "watchtower.db-search")), names.toString());
            assertTrue(names.stream().allMatch(n -> n.startsWith("watchtower.db") || n.equals(folder.getFileName().toString())
                    || n.equals("uvs")), "nothing written under another name: " + names);
        }
        try (var c = DriverManager.getConnection(Db.jdbcUrl(file));
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            assertEquals(3, rs.getInt(1), "reopened after the server stopped");
        }
    }

    @Test
    void whileAServerRunsOnlyItsOwnProcessOpensTheFile() throws Exception {
        TestDb.assumeSqlite("opens a SQLite file");
        try (var server = TestServer.start(dir)) {
            assertEquals(200, server.api().post("/events", obj("session_id", "s")).status());
            // another process opens the file the ordinary way: its first read finds it locked
            // (the same process, through the same VFS, shares it: TestServer.jdbc does)
            var cmd = new java.util.ArrayList<>(ServerProcess.javaCommand(Reader.class.getName()));
            cmd.add(server.dbFile().toString());
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the reader gave up");
                var out = new String(p.getInputStream().readAllBytes()).strip();
                assertTrue(out.contains("locked"), out);
            } finally {
                p.destroyForcibly();
            }
            try (var c = server.jdbc(); var rs = c.createStatement().executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    /** Run in another JVM: prints what reading the events table gave. */
    static final class Reader {
        public static void main(String[] args) {
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
                 var rs = c.createStatement().executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                System.out.println("read " + rs.getInt(1));
            } catch (SQLException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    private static Stream<String> list(Path folder) {
        try {
            return Files.list(folder).map(p -> p.getFileName().toString()).toList().stream();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
