package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import watchtower.testing.TestDb;

/** The schema on a real PostgreSQL server (the PostgreSQL pass), new and upgraded. */
class PostgresSchemaTest {
    @Test
    void theIndexesNoQueryUsesAreNeitherBuiltNorKeptByAnUpgrade() throws Exception {
        Assumptions.assumeTrue(TestDb.isPostgres(), "needs PostgreSQL: runs in the PostgreSQL pass");
        var db = TestDb.createDatabase();
        try (var c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             var st = c.createStatement()) {
            PostgresSchema.apply(c);
            assertFalse(hasIndex(c, "idx_events_session_created"), "a new database does not build it");
            assertFalse(hasIndex(c, "idx_events_created"), "nor this one");
            assertTrue(hasIndex(c, "idx_events_session_id"), "a session's events are read through this one");

            // a database left by version 4 is this one with both indexes
            st.execute("CREATE INDEX idx_events_session_created ON events (session_id, created_at)");
            st.execute("CREATE INDEX idx_events_created ON events (created_at)");
            st.execute("UPDATE watchtower_schema SET version = 4");
            PostgresSchema.apply(c);
            assertFalse(hasIndex(c, "idx_events_session_created"), "the upgrade drops it");
            assertFalse(hasIndex(c, "idx_events_created"), "and this one");
            try (var rs = st.executeQuery("SELECT version FROM watchtower_schema")) {
                rs.next();
                assertEquals(PostgresSchema.VERSION, rs.getInt(1));
            }
        } finally {
            TestDb.dropDatabase(db);
        }
    }

    private static boolean hasIndex(Connection c, String name) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM pg_indexes WHERE indexname = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
