package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's schema, new and upgraded: the indexes no query uses are neither built nor kept. */
class MigrationsTest {
    @TempDir
    Path dir;

    @Test
    void aNewDatabaseHasNoIndexOnEventTimes() throws Exception {
        try (var c = DriverManager.getConnection(Db.jdbcUrl(dir.resolve("new.db")))) {
            Migrations.apply(c);
            assertFalse(hasIndex(c, "idx_events_created"));
            assertFalse(hasIndex(c, "idx_events_session_created"));
            assertTrue(hasIndex(c, "idx_events_session_id"), "a session's events are read through this one");
            assertEquals(Migrations.LATEST, Migrations.userVersion(c));
        }
    }

    @Test
    void anUpgradeFromVersionSixDropsTheIndexOnEventTimes() throws Exception {
        try (var c = DriverManager.getConnection(Db.jdbcUrl(dir.resolve("old.db")))) {
            Migrations.apply(c);
            // a database left by version 6 is this one with that index
            try (var st = c.createStatement()) {
                st.execute("CREATE INDEX idx_events_created ON events (created_at)");
                st.execute("PRAGMA user_version = 6");
            }
            Migrations.apply(c);
            assertFalse(hasIndex(c, "idx_events_created"), "the upgrade drops it");
            assertEquals(Migrations.LATEST, Migrations.userVersion(c));
        }
    }

    private static boolean hasIndex(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
