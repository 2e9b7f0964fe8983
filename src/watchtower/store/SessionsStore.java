package watchtower.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import watchtower.core.Time;

/** The sessions table. Counters (tool_calls, last_event_at) are kept on write, so listing never scans events. */
public final class SessionsStore {
    private final Db db;
    private final SearchIndex searchIndex; // null on PostgreSQL

    SessionsStore(Db db, SearchIndex searchIndex) {
        this.db = db;
        this.searchIndex = searchIndex;
    }

    /** Fields an event or a registration may set; null never overwrites a stored value. */
    public record Upsert(String id, String name, String kind, String purpose, String priority, String persona,
                         String cwd, String worktree, String branch, Long pid, String tmuxTarget,
                         String parentId, String agent, String model, String claudeSessionId) {
        public static Upsert of(String id) {
            return new Upsert(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    // null never overwrites a stored value
    private static final String KEEP_KNOWN = """

              name = COALESCE(excluded.name, sessions.name),
              kind = COALESCE(excluded.kind, sessions.kind),
              purpose = COALESCE(excluded.purpose, sessions.purpose),
              priority = COALESCE(excluded.priority, sessions.priority),
              persona = COALESCE(excluded.persona, sessions.persona),
              cwd = COALESCE(excluded.cwd, sessions.cwd),
              worktree = COALESCE(excluded.worktree, sessions.worktree),
              branch = COALESCE(excluded.branch, sessions.branch),
              pid = COALESCE(excluded.pid, sessions.pid),
              tmux_target = COALESCE(excluded.tmux_target, sessions.tmux_target),
              parent_id = COALESCE(excluded.parent_id, sessions.parent_id),
              agent = COALESCE(excluded.agent, sessions.agent),
              model = COALESCE(excluded.model, sessions.model),
              claude_session_id = COALESCE(excluded.claude_session_id, sessions.claude_session_id)""";

    private static final String UPSERT = """
            INSERT INTO sessions (id, name, kind, purpose, priority, persona, cwd, worktree, branch, pid,
                                  tmux_target, parent_id, agent, model, claude_session_id, state, activity_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)
            ON CONFLICT (id) DO UPDATE SET""" + KEEP_KNOWN;

    /**
     * The same for an event, which also counts itself, in the one statement (it runs on the one
     * writer); this form leaves activity_at alone, for a session already active in this second
     * (times are to the second). SQLite rewrites the index entry of every column a statement sets,
     * even to the value it had, and that index page went into the log with every commit.
     */
    private static final String UPSERT_EVENT_SAME_SECOND = """
            INSERT INTO sessions (id, name, kind, purpose, priority, persona, cwd, worktree, branch, pid,
                                  tmux_target, parent_id, agent, model, claude_session_id, state, activity_at,
                                  event_count, tool_calls, last_event_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, 1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET""" + KEEP_KNOWN + """
            ,
              event_count = sessions.event_count + 1,
              tool_calls = sessions.tool_calls + excluded.tool_calls,
              last_event_at = excluded.last_event_at""";

    private static final String UPSERT_EVENT = UPSERT_EVENT_SAME_SECOND + """
            ,
              activity_at = excluded.activity_at""";

    // PostgreSQL says in the statement whether the row was new
    private static final String INSERTED = " RETURNING (xmax = 0) AS inserted";
    private static final String UPSERT_PG = UPSERT + INSERTED;
    private static final String UPSERT_EVENT_PG = UPSERT_EVENT + INSERTED;

    /**
     * Creates or updates a session; true if it was new. PostgreSQL says which in the same statement
     * (another instance may insert the row between a check and the write); SQLite has one writer.
     */
    public boolean upsert(Tx tx, Upsert u) throws SQLException {
        if (db.dialect() == Dialect.POSTGRES) return insertedOnPostgres(tx, UPSERT_PG, params(u, Time.now()));
        boolean isNew = before(tx, u.id()).isEmpty();
        Rows.bind(tx.prepared(UPSERT), params(u, Time.now())).executeUpdate();
        return isNew;
    }

    /**
     * The same for an event at {@code at}, which also counts it (and a tool call) on the session.
     * {@code before}: the session as the caller read it in this operation ({@link #before}; empty:
     * no row), so the row is read once per event; PostgreSQL still decides in the statement.
     */
    public boolean upsertForEvent(Tx tx, Upsert u, Optional<Before> before, boolean toolCall, String at)
            throws SQLException {
        var params = params(u, at, toolCall ? 1 : 0, at);
        if (db.dialect() == Dialect.POSTGRES) return insertedOnPostgres(tx, UPSERT_EVENT_PG, params);
        boolean sameSecond = before.map(b -> at.equals(b.activityAt())).orElse(false);
        Rows.bind(tx.prepared(sameSecond ? UPSERT_EVENT_SAME_SECOND : UPSERT_EVENT), params).executeUpdate();
        return before.isEmpty();
    }

    /** The upsert's parameters: the session's fields, its activity time, then {@code more}. */
    private static Object[] params(Upsert u, String activityAt, Object... more) {
        Object[] fields = {u.id(), u.name(), u.kind(), u.purpose(), u.priority(), u.persona(), u.cwd(),
                u.worktree(), u.branch(), u.pid(), u.tmuxTarget(), u.parentId(), u.agent(), u.model(),
                u.claudeSessionId(), activityAt};
        if (more.length == 0) return fields;
        var all = java.util.Arrays.copyOf(fields, fields.length + more.length);
        System.arraycopy(more, 0, all, fields.length, more.length);
        return all;
    }

    private static boolean insertedOnPostgres(Tx tx, String upsertReturning, Object[] params) throws SQLException {
        try (var rs = Rows.bind(tx.prepared(upsertReturning), params).executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * A session as a write finds it: its state ("" when NULL: the row still exists) and when it
     * was last active.
     */
    public record Before(String state, String activityAt) {
        public boolean terminated() {
            return state.equals("terminated");
        }
    }

    /** The session inside a write, before the write changes it; empty when there is no such session. */
    public Optional<Before> before(Tx tx, String id) throws SQLException {
        try (var rs = Rows.bind(tx.prepared("SELECT state, activity_at FROM sessions WHERE id = ?"), id).executeQuery()) {
            return rs.next() ? Optional.of(new Before(Objects.requireNonNullElse(rs.getString(1), ""), rs.getString(2)))
                    : Optional.empty();
        }
    }

    /** Sets state (and attention: why a person is needed, or null). Terminated also stamps ended_at. */
    public boolean setState(Tx tx, String id, String state, String attention) throws SQLException {
        if (state.equals("terminated")) {
            return Rows.bind(tx.prepared("UPDATE sessions SET state = ?, attention = ?, ended_at = ? WHERE id = ?"),
                    state, attention, Time.now(), id).executeUpdate() > 0;
        }
        return Rows.bind(tx.prepared("UPDATE sessions SET state = ?, attention = ? WHERE id = ?"),
                state, attention, id).executeUpdate() > 0;
    }

    public void setEndReason(Tx tx, String id, String reason) throws SQLException {
        Rows.bind(tx.prepared("UPDATE sessions SET end_reason = ? WHERE id = ?"), reason, id).executeUpdate();
    }

    /** The reference's token update: totals as the hook computed them. */
    public boolean setTokens(Tx tx, String id, long input, long output) throws SQLException {
        try (var ps = tx.connection().prepareStatement(
                "UPDATE sessions SET input_tokens = ?, output_tokens = ? WHERE id = ?")) {
            return Rows.bind(ps, input, output, id).executeUpdate() > 0;
        }
    }

    public record TokenBreakdown(long input, long output, long freshInput, long cacheCreation, long cacheRead,
                                 Double costUsd, String usageByModelJson, String transcriptPath) {}

    public boolean setTokenBreakdown(Tx tx, String id, TokenBreakdown t) throws SQLException {
        try (var ps = tx.connection().prepareStatement("""
                UPDATE sessions SET input_tokens = ?, output_tokens = ?, fresh_input_tokens = ?,
                  cache_creation_tokens = ?, cache_read_tokens = ?, cost_usd = ?, usage_by_model = ?,
                  transcript_path = COALESCE(?, transcript_path)
                WHERE id = ?""")) {
            return Rows.bind(ps, t.input(), t.output(), t.freshInput(), t.cacheCreation(), t.cacheRead(),
                    t.costUsd(), t.usageByModelJson(), t.transcriptPath(), id).executeUpdate() > 0;
        }
    }

    public boolean delete(Tx tx, String id) throws SQLException {
        try (var c = tx.connection().prepareStatement("DELETE FROM events WHERE session_id = ? RETURNING id");
             var a = tx.connection().prepareStatement("DELETE FROM approvals WHERE session_id = ?");
             var s = tx.connection().prepareStatement("DELETE FROM sessions WHERE id = ?")) {
            var ids = new java.util.ArrayList<Long>();
            try (var rs = Rows.bind(c, id).executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            if (searchIndex != null) tx.afterCommit(() -> searchIndex.forget(ids));
            Rows.bind(a, id).executeUpdate();
            return Rows.bind(s, id).executeUpdate() > 0;
        }
    }

    public int deleteAll(Tx tx) throws SQLException {
        try (var st = tx.connection().createStatement()) {
            if (searchIndex != null) {
                try (var rs = st.executeQuery("SELECT COALESCE(max(id), 0) FROM events")) {
                    long last = rs.next() ? rs.getLong(1) : 0;
                    tx.afterCommit(() -> searchIndex.forgetThrough(last));
                }
            }
            st.executeUpdate("DELETE FROM events");
            st.executeUpdate("DELETE FROM approvals");
            return st.executeUpdate("DELETE FROM sessions");
        }
    }

    public Optional<Map<String, Object>> find(Tx tx, String id) throws SQLException {
        return find(tx.connection(), id);
    }

    public Optional<Map<String, Object>> find(String id) {
        return db.read(c -> find(c, id));
    }

    private static Optional<Map<String, Object>> find(Connection c, String id) throws SQLException {
        try (var ps = c.prepareStatement("SELECT * FROM sessions WHERE id = ?")) {
            return Rows.first(Rows.bind(ps, id));
        }
    }

    /** Filters for the session list; null means "any". */
    public record Filter(String state, String kind, String priority, String since, String query) {
        public static final Filter ALL = new Filter(null, null, null, null, null);
    }

    /** Newest activity first, as the reference orders (last event, else start), one page at a time. */
    public List<Map<String, Object>> list(Filter f, int limit, int offset) {
        var sql = new StringBuilder("SELECT * FROM sessions WHERE 1=1");
        var params = new java.util.ArrayList<Object>();
        if (f.state() != null) { sql.append(" AND state = ?"); params.add(f.state()); }
        if (f.kind() != null) { sql.append(" AND kind = ?"); params.add(f.kind()); }
        if (f.priority() != null) { sql.append(" AND priority = ?"); params.add(f.priority()); }
        if (f.since() != null) { sql.append(" AND activity_at >= ?"); params.add(f.since()); }
        if (f.query() != null) {
            sql.append(" AND (id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' OR cwd LIKE ? ESCAPE '\\')"
                    .replace("LIKE", db.dialect().like()));
            var like = "%" + f.query().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            params.add(like); params.add(like); params.add(like);
        }
        sql.append(" ORDER BY activity_at DESC, ").append(db.dialect().sessionsTiebreak()).append(" LIMIT ? OFFSET ?");
        params.add(limit);
        params.add(offset);
        return db.read(c -> {
            try (var ps = c.prepareStatement(sql.toString())) {
                return Rows.all(Rows.bind(ps, params.toArray()));
            }
        });
    }

    public long count() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Every session id (cleanup matches them against the live tmux sessions). */
    public List<String> allIds() {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT id FROM sessions")) {
                return Rows.all(ps).stream().map(r -> (String) r.get("id")).toList();
            }
        });
    }

    /** Sessions that are live and owned by our tmux socket: what cleanup must kill first. */
    public List<Map<String, Object>> liveOwned(Tx tx) throws SQLException {
        try (var ps = tx.connection().prepareStatement(
                "SELECT * FROM sessions WHERE state != 'terminated' AND tmux_target IS NOT NULL")) {
            return Rows.all(ps);
        }
    }
}
