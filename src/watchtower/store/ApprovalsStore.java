package watchtower.store;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import watchtower.core.Time;

/** The approvals table. At most one pending approval per session: callers hold the writer thread. */
public final class ApprovalsStore {
    private final Db db;

    public ApprovalsStore(Db db) {
        this.db = db;
    }

    public Optional<Map<String, Object>> pendingFor(Tx tx, String sessionId) throws SQLException {
        try (var ps = tx.connection().prepareStatement(
                "SELECT * FROM approvals WHERE session_id = ? AND status = 'pending' ORDER BY id DESC LIMIT 1")) {
            return Rows.first(Rows.bind(ps, sessionId));
        }
    }

    /** The session's pending approval, read outside a write (control checks before typing). */
    public Optional<Map<String, Object>> pendingFor(String sessionId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement(
                    "SELECT * FROM approvals WHERE session_id = ? AND status = 'pending' ORDER BY id DESC LIMIT 1")) {
                return Rows.first(Rows.bind(ps, sessionId));
            }
        });
    }

    /** Sessions with a pending approval, for closing them all at once (cleanup). */
    public List<String> pendingSessionIds(Tx tx) throws SQLException {
        try (var ps = tx.connection().prepareStatement(
                "SELECT DISTINCT session_id FROM approvals WHERE status = 'pending' AND session_id IS NOT NULL")) {
            return Rows.all(ps).stream().map(r -> (String) r.get("session_id")).toList();
        }
    }

    // runs for most events (any sign of life resolves a pending approval), hence the kept statement
    public List<Map<String, Object>> allPendingFor(Tx tx, String sessionId) throws SQLException {
        return Rows.all(Rows.bind(tx.prepared(
                "SELECT * FROM approvals WHERE session_id = ? AND status = 'pending' ORDER BY id"), sessionId));
    }

    public long insertPending(Tx tx, String sessionId, String toolName, String command, String requestJson,
                              String toolUseId) throws SQLException {
        try (var ps = tx.connection().prepareStatement("""
                INSERT INTO approvals (session_id, tool_name, command, request, status, tool_use_id, created_at)
                VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id""");
             var rs = Rows.bind(ps, sessionId, toolName, command, requestJson, toolUseId, Time.now()).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Refreshes a pending approval with a newer request for the same prompt (the reference's rule). */
    public void refresh(Tx tx, long id, String toolName, String command, String requestJson) throws SQLException {
        try (var ps = tx.connection().prepareStatement("""
                UPDATE approvals SET tool_name = ?, command = ?, request = ?, created_at = ?
                WHERE id = ?""")) {
            Rows.bind(ps, toolName, command, requestJson, Time.now(), id).executeUpdate();
        }
    }

    /** Moves a pending approval to {@code status}; false if it was no longer pending. */
    public boolean finish(Tx tx, long id, String status, String decidedBy, String via) throws SQLException {
        try (var ps = tx.connection().prepareStatement("""
                UPDATE approvals SET status = ?, decided_by = ?, decided_via = ?, decided_at = ?
                WHERE id = ? AND status = 'pending'""")) {
            return Rows.bind(ps, status, decidedBy, via, Time.now(), id).executeUpdate() > 0;
        }
    }

    public Optional<Map<String, Object>> find(Tx tx, long id) throws SQLException {
        try (var ps = tx.connection().prepareStatement("SELECT * FROM approvals WHERE id = ?")) {
            return Rows.first(Rows.bind(ps, id));
        }
    }

    public Optional<Map<String, Object>> find(long id) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT * FROM approvals WHERE id = ?")) {
                return Rows.first(Rows.bind(ps, id));
            }
        });
    }

    /** Approvals with a status, newest first (the reference's order); status null lists all. */
    public List<Map<String, Object>> list(String status, int limit) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("""
                    SELECT * FROM approvals WHERE (CAST(? AS text) IS NULL OR status = ?)
                    ORDER BY created_at DESC, id DESC LIMIT ?""")) {
                return Rows.all(Rows.bind(ps, status, status, limit));
            }
        });
    }
}
