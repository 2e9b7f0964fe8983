package watchtower.store;

import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The events table: append, dedupe by the hook's event id, and the queries the API makes. */
public final class EventsStore {
    private final Db db;
    private final SearchIndex searchIndex;

    EventsStore(Db db, SearchIndex searchIndex) {
        this.db = db;
        this.searchIndex = searchIndex;
    }

    public record NewEvent(String sessionId, String eventType, String toolName, String command,
                           String payloadJson, String eventUid, String createdAt, String searchText) {}

    /**
     * Appends an event; empty when an event with the same uid is already stored (a re-delivery).
     * The unique index on event_uid decides in the insert itself: on PostgreSQL because two
     * instances may receive the same re-delivered event at once, on SQLite because it saves a read.
     */
    public Optional<Long> append(Tx tx, NewEvent e) throws SQLException {
        if (db.dialect() == Dialect.POSTGRES) {
            try (var rs = Rows.bind(tx.prepared(INSERT_POSTGRES), e.sessionId(), e.eventType(), e.toolName(),
                    e.command(), e.payloadJson(), e.eventUid(), e.createdAt(), e.searchText()).executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
        long id;
        try (var rs = Rows.bind(tx.prepared(INSERT_SQLITE), e.sessionId(), e.eventType(), e.toolName(),
                e.command(), e.payloadJson(), e.eventUid(), e.createdAt()).executeQuery()) {
            if (!rs.next()) return Optional.empty();
            id = rs.getLong(1);
        }
        searchIndex.later(tx, id, e.searchText());
        return Optional.of(id);
    }

    private static final String INSERT_SQLITE = """
            INSERT INTO events (session_id, event_type, tool_name, command, payload, event_uid, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_uid) WHERE event_uid IS NOT NULL DO NOTHING
            RETURNING id""";

    private static final String INSERT_POSTGRES = """
            INSERT INTO events (session_id, event_type, tool_name, command, payload, event_uid, created_at, search_text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_uid) WHERE event_uid IS NOT NULL DO NOTHING
            RETURNING id""";

    /** Recent events across all sessions, oldest first (the heartbeat backfill), without payloads. */
    public List<Map<String, Object>> recent(int limit) {
        var rows = db.read(c -> {
            try (var ps = c.prepareStatement("""
                    SELECT id, session_id, event_type, tool_name, command, created_at
                    FROM events ORDER BY id DESC LIMIT ?""")) {
                return Rows.all(Rows.bind(ps, limit));
            }
        });
        Collections.reverse(rows);
        return rows;
    }

    /** A session's events, newest first, with payloads; {@code beforeId} pages further back. */
    public List<Map<String, Object>> forSession(String sessionId, int limit, long beforeId) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("""
                    SELECT id, session_id, event_type, tool_name, command, payload, created_at
                    FROM events WHERE session_id = ? AND id < ? ORDER BY id DESC LIMIT ?""")) {
                return Rows.all(Rows.bind(ps, sessionId, beforeId, limit));
            }
        });
    }

    /** A session's events oldest first, for export; bounded by {@code limit}. */
    public List<Map<String, Object>> forSessionChronological(String sessionId, int limit) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("""
                    SELECT id, session_id, event_type, tool_name, command, payload, created_at
                    FROM events WHERE session_id = ? ORDER BY id LIMIT ?""")) {
                return Rows.all(Rows.bind(ps, sessionId, limit));
            }
        });
    }

    /**
     * Events whose indexed text (type, tool, command, prompt, file, message) contains {@code text},
     * newest first. Three characters or more use the trigram index; shorter ones scan the payloads
     * of only the most recent {@link #SHORT_QUERY_WINDOW} events.
     */
    public List<Map<String, Object>> search(String text, String sessionId, int limit) {
        var like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        boolean indexed = text.codePointCount(0, text.length()) >= 3;
        if (indexed && db.dialect() == Dialect.POSTGRES) {
            return db.read(c -> {
                try (var ps = c.prepareStatement("""
                        SELECT id, session_id, event_type, tool_name, command, created_at
                        FROM events WHERE search_text ILIKE ? ESCAPE '\\'
                          AND (CAST(? AS text) IS NULL OR session_id = ?)
                        ORDER BY id DESC LIMIT ?""")) {
                    return Rows.all(Rows.bind(ps, like, sessionId, sessionId, limit));
                }
            });
        }
        if (indexed) return searchIndex.search(text, sessionId, limit);
        var sql = """
                SELECT id, session_id, event_type, tool_name, command, created_at
                FROM events
                WHERE id > (SELECT COALESCE(max(id), 0) FROM events) - ?
                  AND (CAST(? AS text) IS NULL OR session_id = ?)
                  AND (payload LIKE ? ESCAPE '\\' OR event_type LIKE ? ESCAPE '\\' OR tool_name LIKE ? ESCAPE '\\')
                ORDER BY id DESC LIMIT ?""".replace("LIKE", db.dialect().like());
        return db.read(c -> {
            try (var ps = c.prepareStatement(sql)) {
                return Rows.all(Rows.bind(ps, SHORT_QUERY_WINDOW, sessionId, sessionId, like, like, like, limit));
            }
        });
    }

    static final int SHORT_QUERY_WINDOW = 100_000;

    public long count() {
        return db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }
}
