package watchtower.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Schema versions, tracked by PRAGMA user_version. Version 1 is the reference server's schema
 * exactly (so a database it wrote opens in place: it has user_version 0 and these tables);
 * later versions add columns and indexes and backfill them from events, and drop what the
 * reference had that no query of ours uses.
 */
final class Migrations {
    private Migrations() {}

    static final int LATEST = 7;

    private static final List<String> REFERENCE_SCHEMA = List.of("""
            CREATE TABLE IF NOT EXISTS sessions (
                id text PRIMARY KEY, name text, kind text, purpose text, priority text,
                persona text, cwd text, worktree text, branch text, pid integer,
                tmux_target text, parent_id text, state text DEFAULT 'active',
                input_tokens integer, output_tokens integer,
                started_at TEXT DEFAULT CURRENT_TIMESTAMP, ended_at text)""", """
            CREATE TABLE IF NOT EXISTS events (
                id INTEGER PRIMARY KEY AUTOINCREMENT, session_id text, event_type text,
                tool_name text, command text, payload text,
                created_at TEXT DEFAULT CURRENT_TIMESTAMP)""", """
            CREATE TABLE IF NOT EXISTS approvals (
                id INTEGER PRIMARY KEY AUTOINCREMENT, session_id text, tool_name text,
                command text, request text, status text DEFAULT 'pending', decided_by text,
                created_at TEXT DEFAULT CURRENT_TIMESTAMP, decided_at text)""",
            "CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY, value text)",
            "CREATE INDEX IF NOT EXISTS idx_events_session_created ON events (session_id, created_at)",
            "CREATE INDEX IF NOT EXISTS idx_approvals_session_status ON approvals (session_id, status)");

    /** Columns the reference added after its first release (its own try/except ALTERs). */
    private static final List<String[]> REFERENCE_LATE_COLUMNS = List.of(
            new String[] {"sessions", "parent_id", "text"},
            new String[] {"sessions", "input_tokens", "integer"},
            new String[] {"sessions", "output_tokens", "integer"});

    private static final List<String[]> OUR_COLUMNS = List.of(
            new String[] {"sessions", "agent", "text"},
            new String[] {"sessions", "model", "text"},
            new String[] {"sessions", "claude_session_id", "text"},
            new String[] {"sessions", "attention", "text"},
            new String[] {"sessions", "end_reason", "text"},
            new String[] {"sessions", "transcript_path", "text"},
            new String[] {"sessions", "fresh_input_tokens", "integer"},
            new String[] {"sessions", "cache_creation_tokens", "integer"},
            new String[] {"sessions", "cache_read_tokens", "integer"},
            new String[] {"sessions", "cost_usd", "real"},
            new String[] {"sessions", "usage_by_model", "text"},
            new String[] {"sessions", "tool_calls", "integer NOT NULL DEFAULT 0"},
            new String[] {"sessions", "event_count", "integer NOT NULL DEFAULT 0"},
            new String[] {"sessions", "last_event_at", "text"},
            new String[] {"sessions", "activity_at", "text"},
            new String[] {"events", "event_uid", "text"},
            new String[] {"approvals", "tool_use_id", "text"},
            new String[] {"approvals", "decided_via", "text"});

    private static final List<String> OUR_INDEXES = List.of(
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_events_uid ON events (event_uid) WHERE event_uid IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS idx_events_session_id ON events (session_id, id)",
            "CREATE INDEX IF NOT EXISTS idx_sessions_activity ON sessions (activity_at DESC)",
            "CREATE INDEX IF NOT EXISTS idx_approvals_status_created ON approvals (status, created_at)");

    // Backfill: a reference database has events but none of our counters.
    private static final String BACKFILL_COUNTERS = """
            UPDATE sessions SET
              tool_calls = (SELECT count(*) FROM events e WHERE e.session_id = sessions.id AND e.tool_name IS NOT NULL),
              event_count = (SELECT count(*) FROM events e WHERE e.session_id = sessions.id),
              last_event_at = (SELECT max(e.created_at) FROM events e WHERE e.session_id = sessions.id)""";
    private static final String BACKFILL_ACTIVITY =
            "UPDATE sessions SET activity_at = COALESCE(last_event_at, started_at)";

    // Team mode: machines that run agents and post with their own token (the hash is stored, never
    // the token), and which machine each session runs on (null: this server's own machine).
    static final String MACHINES_TABLE = """
            CREATE TABLE IF NOT EXISTS machines (
                name text PRIMARY KEY, token_hash text NOT NULL UNIQUE,
                created_at text, last_seen_at text, revoked_at text)""";
    private static final List<String[]> MACHINE_COLUMNS = List.<String[]>of(
            new String[] {"sessions", "machine", "text"});

    static void apply(Connection c) throws SQLException {
        int version = userVersion(c);
        if (version > LATEST) {
            throw new SQLException("database schema version " + version + " is newer than this Watchtower ("
                    + LATEST + "); upgrade Watchtower");
        }
        if (version >= LATEST) return;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (var st = c.createStatement()) {
            if (version < 1) {
                for (var sql : REFERENCE_SCHEMA) st.execute(sql);
                addMissing(c, REFERENCE_LATE_COLUMNS);
            }
            if (version < 2) {
                addMissing(c, OUR_COLUMNS);
                for (var sql : OUR_INDEXES) st.execute(sql);
                st.execute(BACKFILL_COUNTERS);
                st.execute(BACKFILL_ACTIVITY);
            }
            if (version < 4) {
                st.execute(MACHINES_TABLE);
                addMissing(c, MACHINE_COLUMNS);
            }
            // version 3 built full-text search in this file; version 5 moved it to a file of its own
            // (SearchIndex), which fills itself in the background, so there is nothing to build here
            if (version < 5) st.execute("DROP TABLE IF EXISTS events_fts");
            // the reference's (session_id, created_at): no query of ours uses it, since
            // (session_id, id) orders a session's events; it only cost a page in each event's commit
            if (version < 6) st.execute("DROP INDEX IF EXISTS idx_events_session_created");
            // created_at: retention finds where the old events end by the id (Retention.firstIdFrom);
            // the index cost a page in each event's commit
            if (version < 7) st.execute("DROP INDEX IF EXISTS idx_events_created");
            st.execute("PRAGMA user_version = " + LATEST);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static int userVersion(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void addMissing(Connection c, List<String[]> columns) throws SQLException {
        for (var col : columns) {
            if (!columnsOf(c, col[0]).contains(col[1])) {
                try (var st = c.createStatement()) {
                    st.execute("ALTER TABLE " + col[0] + " ADD COLUMN " + col[1] + " " + col[2]);
                }
            }
        }
    }

    private static Set<String> columnsOf(Connection c, String table) throws SQLException {
        var out = new HashSet<String>();
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) out.add(rs.getString("name"));
        }
        return out;
    }
}
