package watchtower.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The write connection's prepared statements, kept open for the writer's lifetime: every event
 * runs the same few statements, and compiling them again for each one cost more than running
 * them. Only the writer thread uses it. Callers don't close what they get here (the cache does,
 * when it evicts or closes); they do close its result sets, which resets the statement.
 */
final class Statements implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    // far more than the distinct statements writes use, so eviction only bounds a bug's cost
    private static final int MAX = 128;

    private final Connection connection;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX) return false;
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    Statements(Connection connection) {
        this.connection = connection;
    }

    PreparedStatement get(String sql) throws SQLException {
        var ps = cache.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            cache.put(sql, ps);
        }
        return ps;
    }

    @Override
    public void close() {
        cache.values().forEach(Statements::closeQuietly);
        cache.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing a cached statement: " + e);
        }
    }
}
