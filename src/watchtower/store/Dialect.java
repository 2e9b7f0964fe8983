package watchtower.store;

/**
 * The few places where SQLite and PostgreSQL need different SQL. Everything else the stores
 * write is SQL both accept, with timestamps bound from Java rather than CURRENT_TIMESTAMP (which
 * PostgreSQL would format differently).
 */
public enum Dialect {
    SQLITE, POSTGRES;

    /** Case-insensitive LIKE: SQLite's LIKE already is, for ASCII. */
    String like() {
        return this == POSTGRES ? "ILIKE" : "LIKE";
    }

    /** Tie-break for sessions with the same activity time: insertion order where the file keeps one. */
    String sessionsTiebreak() {
        return this == POSTGRES ? "started_at DESC, id DESC" : "rowid DESC";
    }
}
