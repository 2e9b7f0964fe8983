package watchtower.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import watchtower.core.DbTarget;

/** The database as the rest of the server sees it: one writer, the table stores, and close. */
public final class Store implements AutoCloseable {
    private final Db db;
    private final Writer writer;
    private final SessionsStore sessions;
    private final EventsStore events;
    private final ApprovalsStore approvals;
    private final SettingsStore settings;
    private final SearchIndex searchIndex; // SQLite only (its own file); PostgreSQL indexes the events row itself

    private Store(Db db, Consumer<List<Object>> broadcaster) throws SQLException {
        this.db = db;
        this.searchIndex = db.target() instanceof DbTarget.SqliteFile f ? new SearchIndex(db, f.file()) : null;
        this.writer = new Writer(db, 10_000, broadcaster);
        this.sessions = new SessionsStore(db, searchIndex);
        this.events = new EventsStore(db, searchIndex);
        this.approvals = new ApprovalsStore(db);
        this.settings = new SettingsStore(db);
    }

    /** Opens (creating or migrating) the file; {@code broadcaster} receives each commit's messages, in order. */
    public static Store open(Path file, Consumer<List<Object>> broadcaster) throws SQLException, IOException {
        return open(new DbTarget.SqliteFile(file), broadcaster);
    }

    /** Opens (creating or migrating) the SQLite file or PostgreSQL database. */
    public static Store open(DbTarget target, Consumer<List<Object>> broadcaster) throws SQLException, IOException {
        var db = Db.open(target, 4);
        try {
            return new Store(db, broadcaster);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public Writer writer() { return writer; }
    public SessionsStore sessions() { return sessions; }
    public EventsStore events() { return events; }
    public ApprovalsStore approvals() { return approvals; }
    public SettingsStore settings() { return settings; }
    public Db db() { return db; }
    SearchIndex searchIndex() { return searchIndex; } // null on PostgreSQL

    /** Stored events the search index has yet to take in; 0 on PostgreSQL, which indexes in the write. */
    public long searchBacklog() {
        return searchIndex == null ? 0 : searchIndex.backlog();
    }

    /** Commits what is queued, then closes the connections. */
    @Override
    public void close() {
        if (searchIndex != null) searchIndex.close(); // what it has not indexed yet, the next start does
        writer.close();
        db.close();
    }
}
