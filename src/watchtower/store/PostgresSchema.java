package watchtower.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The schema on PostgreSQL: the same tables, columns (in the same order, so rows read the same as
 * from SQLite) and indexes as {@link Migrations} builds, created at once at the latest version.
 * The version lives in a one-row table; an advisory lock makes instances starting together take
 * turns. Search uses a pg_trgm index on events.search_text where the extension can be created.
 */
final class PostgresSchema {
    private PostgresSchema() {}

    /**
     * Kept apart from SQLite's: its version 5 only moved SQLite's search index to its own file.
     * Version 5 here drops the reference's (session_id, created_at), as SQLite's version 6 did;
     * version 6 drops (created_at), as SQLite's version 7 does.
     */
    static final int VERSION = 6;

    private static final long MIGRATION_LOCK = 0x5741_5443_4854_5752L; // "WATCHTWR"
    private static final String NOW = "(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))";

    private static final List<String> TABLES = List.of("""
            CREATE TABLE IF NOT EXISTS sessions (
                id text PRIMARY KEY, name text, kind text, purpose text, priority text,
                persona text, cwd text, worktree text, branch text, pid bigint,
                tmux_target text, parent_id text, state text DEFAULT 'active',
                input_tokens bigint, output_tokens bigint,
                started_at text DEFAULT %1$s, ended_at text,
                agent text, model text, claude_session_id text, attention text, end_reason text,
                transcript_path text, fresh_input_tokens bigint, cache_creation_tokens bigint,
                cache_read_tokens bigint, cost_usd double precision, usage_by_model text,
                tool_calls bigint NOT NULL DEFAULT 0, event_count bigint NOT NULL DEFAULT 0,
                last_event_at text, activity_at text, machine text)""".formatted(NOW), """
            CREATE TABLE IF NOT EXISTS events (
                id bigserial PRIMARY KEY, session_id text, event_type text,
                tool_name text, command text, payload text,
                created_at text DEFAULT %1$s, event_uid text, search_text text)""".formatted(NOW), """
            CREATE TABLE IF NOT EXISTS approvals (
                id bigserial PRIMARY KEY, session_id text, tool_name text,
                command text, request text, status text DEFAULT 'pending', decided_by text,
                created_at text DEFAULT %1$s, decided_at text, tool_use_id text, decided_via text)""".formatted(NOW),
            "CREATE TABLE IF NOT EXISTS settings (key text PRIMARY KEY, value text)",
            Migrations.MACHINES_TABLE,
            // live messages too long for a NOTIFY, read by the other instances (see team/Notices)
            "CREATE TABLE IF NOT EXISTS relay_messages (id bigserial PRIMARY KEY, body text NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now())",
            // no query of ours uses it ((session_id, id) orders a session's events); it only cost every insert
            "DROP INDEX IF EXISTS idx_events_session_created",
            "CREATE INDEX IF NOT EXISTS idx_approvals_session_status ON approvals (session_id, status)",
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_events_uid ON events (event_uid) WHERE event_uid IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS idx_events_session_id ON events (session_id, id)",
            // retention finds where the old events end by the id (Retention.firstIdFrom)
            "DROP INDEX IF EXISTS idx_events_created",
            "CREATE INDEX IF NOT EXISTS idx_sessions_activity ON sessions (activity_at DESC)",
            "CREATE INDEX IF NOT EXISTS idx_approvals_status_created ON approvals (status, created_at)",
            // one writer keeps this rule on SQLite; with several instances the index keeps it
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_approvals_one_pending ON approvals (session_id) WHERE status = 'pending'");

    static void apply(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (var st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            st.execute("CREATE TABLE IF NOT EXISTS watchtower_schema (version integer NOT NULL)");
            int version = 0;
            try (var rs = st.executeQuery("SELECT max(version) FROM watchtower_schema")) {
                if (rs.next()) version = rs.getInt(1);
            }
            if (version > VERSION) {
                throw new SQLException("database schema version " + version + " is newer than this Watchtower ("
                        + VERSION + "); upgrade Watchtower");
            }
            if (version < VERSION) {
                for (var sql : TABLES) st.execute(sql);
                searchIndex(c);
                st.execute("DELETE FROM watchtower_schema");
                st.execute("INSERT INTO watchtower_schema (version) VALUES (" + VERSION + ")");
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Trigram index for search; without the extension (no privilege) search still works, unindexed. */
    private static void searchIndex(Connection c) throws SQLException {
        var savepoint = c.setSavepoint();
        try (var st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
            st.execute("CREATE INDEX IF NOT EXISTS idx_events_search ON events USING gin (search_text gin_trgm_ops)");
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            c.rollback(savepoint);
            System.getLogger("watchtower.store").log(System.Logger.Level.WARNING,
                    "pg_trgm unavailable, search will scan: " + e.getMessage());
        }
    }
}
