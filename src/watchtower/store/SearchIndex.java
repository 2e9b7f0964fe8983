package watchtower.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import watchtower.core.Threads;

/**
 * SQLite's full-text index of events, in a file of its own beside the database
 * ({@code watchtower.db-search}) and filled just behind ingest by a thread of its own. FTS5
 * writes a new index segment at every commit and now and then merges segments, which took up
 * to 50 ms; in the database's own file that work ran on the one writer and every request
 * waited behind it. In its own file it has its own write lock, so ingest never waits for it.
 *
 * <p>Events are indexed in id order, and ids only grow (AUTOINCREMENT), so "indexed through id
 * N" is the whole state, kept in the index file in the same commit as the rows: a crash loses
 * nothing, the next start goes on from there. The text is computed at ingest and kept until
 * indexed; after a restart it is computed again from the stored payload. A search catches up
 * first, so it finds every event acknowledged before it, unless more than
 * {@link #SEARCH_WAITS_AT_MOST} events are waiting (the first start on a large history, or
 * after a crash of a busy server): then it answers from what is indexed so far.
 *
 * <p>Deleted events are forgotten after their delete commits. A crash in between leaves index
 * rows for events that no longer exist; a search joins with the events table, so they never
 * show, and the next start drops those below the oldest event. The index is derived data:
 * delete the file and the next start builds it again.
 */
public final class SearchIndex implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    /**
     * Events per commit of the index, and the pause when fewer are waiting. The index thread
     * shares two cores with ingest, and FTS5's cost per event falls with the batch: in a measure
     * on varied commands, 16.6 us an event in batches of 500, 12.6 in batches of 2,000, and 9.9
     * with {@link #AUTOMERGE} 8. A search catches up first, so the lag is never seen.
     */
    static final int BATCH = 2_000;
    static final long EVERY_MS = 250;
    /** Segments of one size FTS5 lets pile up before merging them (its default is 4): fewer merges. */
    private static final int AUTOMERGE = 8;
    static final long SEARCH_WAITS_AT_MOST = 20_000;
    private static final int MAX_KEPT_TEXTS = 100_000; // beyond, texts are computed again when indexed

    private static final String TABLE =
            "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(text, content='', contentless_delete=1, tokenize='trigram')";
    private static final String PROGRESS = "CREATE TABLE IF NOT EXISTS progress (through INTEGER NOT NULL)";

    private final Db db;
    private final Path file;
    private final Connection index;  // the index file's only writer; used under lock
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, String> texts = new ConcurrentSkipListMap<>();
    private final ConcurrentLinkedQueue<Long> forgotten = new ConcurrentLinkedQueue<>();
    private final AtomicLong forgetThrough = new AtomicLong();  // every id up to here is gone
    private final AtomicLong written = new AtomicLong();        // highest event id committed
    private volatile long through;                              // highest event id in the index
    private final Thread thread;
    private volatile boolean running = true;

    /** The index file for a database file: beside it, like its -wal and -shm. */
    public static Path fileFor(Path database) {
        return database.resolveSibling(database.getFileName() + "-search");
    }

    SearchIndex(Db db, Path database) throws SQLException {
        this.db = db;
        this.file = fileFor(database.toAbsolutePath());
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5_000);
        this.index = config.createConnection(Db.jdbcUrl(file));
        try {
            open();
        } catch (SQLException | RuntimeException e) {
            index.close();
            throw e;
        }
        this.thread = Threads.startDaemon("search-index", this::loop);
    }

    /** Creates the tables; starts over if the database is not the one this index was built from. */
    private void open() throws SQLException {
        try (var st = index.createStatement()) {
            st.execute(TABLE);
            st.execute(PROGRESS);
            st.execute("INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', " + AUTOMERGE + ")");
        }
        long[] span = db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT COALESCE(max(id), 0), min(id), (SELECT seq FROM sqlite_sequence WHERE name = 'events') FROM events")) {
                rs.next();
                long max = rs.getLong(1);
                long seq = Math.max(max, rs.getLong(3));
                long min = rs.getObject(2) == null ? seq + 1 : rs.getLong(2);
                return new long[] {max, min, seq};
            }
        });
        written.set(span[0]);
        index.setAutoCommit(false);
        try (var st = index.createStatement()) {
            long stored;
            try (var rs = st.executeQuery("SELECT through FROM progress")) {
                stored = rs.next() ? rs.getLong(1) : -1;
            }
            if (stored < 0) {
                st.execute("INSERT INTO progress (through) VALUES (0)");
                stored = 0;
            }
            if (stored > span[2]) { // ids only grow: this index belongs to another (or a restored) database
                LOG.log(System.Logger.Level.INFO, "search index: " + file.getFileName() + " is for another database; rebuilding it");
                st.execute("INSERT INTO events_fts (events_fts) VALUES ('delete-all')");
                st.execute("UPDATE progress SET through = 0");
                stored = 0;
            }
            through = stored;
            index.commit();
        } catch (SQLException e) {
            index.rollback();
            throw e;
        } finally {
            index.setAutoCommit(true);
        }
        forgetThrough.set(span[1] - 1); // rows a crash left behind for events pruned since
    }

    /**
     * Called in the write that stores event {@code id}: index it soon with this text. The event
     * counts as written once its write commits, before the caller hears of it, so a search after
     * the acknowledgement catches up on it, and a write rolled back leaves no backlog behind.
     */
    void later(Tx tx, long id, String text) {
        if (id - through < MAX_KEPT_TEXTS) texts.put(id, text); // bounded by distance: size() walks the map
        tx.afterCommit(() -> written.accumulateAndGet(id, Math::max));
    }

    /** Committed events the index has not taken in yet. */
    long backlog() {
        return Math.max(0, written.get() - through);
    }

    /** After a delete committed: drop these events from the index. */
    void forget(List<Long> ids) {
        forgotten.addAll(ids);
    }

    /** After a delete of every event up to {@code id} committed. */
    void forgetThrough(long id) {
        forgetThrough.accumulateAndGet(id, Math::max);
    }

    /**
     * Events whose search text contains {@code text}, newest first, after indexing what is
     * waiting (unless that is a large backlog). The index file is attached to the read
     * connection, so the match and the join with events are one query.
     */
    public List<Map<String, Object>> search(String text, String sessionId, int limit) {
        catchUp();
        var phrase = "\"" + text.replace("\"", "\"\"") + "\"";
        return db.read(c -> {
            attach(c);
            try (var ps = c.prepareStatement("""
                    SELECT e.id, e.session_id, e.event_type, e.tool_name, e.command, e.created_at
                    FROM search.events_fts f JOIN events e ON e.id = f.rowid
                    WHERE f.events_fts MATCH ? AND (CAST(? AS text) IS NULL OR e.session_id = ?)
                    ORDER BY f.rowid DESC LIMIT ?""")) {
                return Rows.all(Rows.bind(ps, phrase, sessionId, sessionId, limit));
            }
        });
    }

    /** Before a search: index what is waiting, unless that is a large backlog. */
    void catchUp() {
        if (written.get() - through > SEARCH_WAITS_AT_MOST) return;
        lock.lock();
        try {
            while (written.get() > through && indexNext() > 0) { }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "search index: searching what is indexed so far: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void attach(Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA database_list")) {
            while (rs.next()) if ("search".equals(rs.getString(2))) return;
        }
        try (var ps = c.prepareStatement("ATTACH DATABASE ? AS search")) {
            ps.setString(1, file.toString());
            ps.execute();
        }
    }

    private void loop() {
        while (running) {
            try {
                int done;
                lock.lock();
                try {
                    done = pending() ? indexNext() : 0;
                } finally {
                    lock.unlock();
                }
                // a backlog goes on at once, one batch per commit; otherwise wait for more
                if (done < BATCH) Thread.sleep(EVERY_MS);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) { // the disk failed, or we are stopping
                if (!running) return;
                LOG.log(System.Logger.Level.WARNING, "search index: will try again: " + e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private boolean pending() {
        return written.get() > through || !forgotten.isEmpty() || forgetThrough.get() > 0;
    }

    private record Row(long id, String eventType, String toolName, String command, String text) {}

    /**
     * One batch in one commit of the index file: the next events in id order, then what was
     * forgotten before they were read (so an event deleted meanwhile is dropped after its
     * insert, never before). Returns how many events it indexed. Holds the lock.
     */
    private int indexNext() throws SQLException {
        var forget = new ArrayList<Long>();
        for (Long id; (id = forgotten.poll()) != null; ) forget.add(id);
        long forgetUpTo = forgetThrough.getAndSet(0);
        long from = through;
        var rows = db.read(c -> next(c, from));
        index.setAutoCommit(false);
        try {
            try (var insert = index.prepareStatement("INSERT INTO events_fts (rowid, text) VALUES (?, ?)")) {
                for (var row : rows) {
                    insert.setLong(1, row.id());
                    insert.setString(2, row.text());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            if (forgetUpTo > 0) {
                try (var ps = index.prepareStatement("DELETE FROM events_fts WHERE rowid <= ?")) {
                    ps.setLong(1, forgetUpTo);
                    ps.executeUpdate();
                }
            }
            try (var delete = index.prepareStatement("DELETE FROM events_fts WHERE rowid = ?")) {
                for (long id : forget) {
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                if (!forget.isEmpty()) delete.executeBatch();
            }
            long upTo = rows.isEmpty() ? from : rows.get(rows.size() - 1).id();
            try (var ps = index.prepareStatement("UPDATE progress SET through = ?")) {
                ps.setLong(1, upTo);
                ps.executeUpdate();
            }
            index.commit();
            through = upTo;
            texts.headMap(upTo, true).clear();
            return rows.size();
        } catch (SQLException | RuntimeException e) {
            index.rollback();
            forgotten.addAll(forget); // try them again with the next batch
            forgetThrough.accumulateAndGet(forgetUpTo, Math::max);
            throw e;
        } finally {
            index.setAutoCommit(true);
        }
    }

    /** The next committed events after {@code from}, with their texts (kept, or computed again). */
    private List<Row> next(Connection c, long from) throws SQLException {
        var rows = new ArrayList<Row>();
        var missing = new HashMap<Long, Integer>();
        try (var ps = Rows.bind(c.prepareStatement(
                "SELECT id, event_type, tool_name, command FROM events WHERE id > ? ORDER BY id LIMIT ?"), from, BATCH);
             var rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                var text = texts.get(id);
                if (text == null) missing.put(id, rows.size());
                rows.add(new Row(id, rs.getString(2), rs.getString(3), rs.getString(4), text));
            }
        }
        if (missing.isEmpty()) return rows;
        // one query for the batch's missing payloads (all of them after a restart), not one per row
        var sql = "SELECT id, payload FROM events WHERE id IN (" + "?,".repeat(missing.size() - 1) + "?)";
        var payloads = new HashMap<Long, String>();
        try (var ps = Rows.bind(c.prepareStatement(sql), missing.keySet().toArray()); var rs = ps.executeQuery()) {
            while (rs.next()) payloads.put(rs.getLong(1), rs.getString(2));
        }
        for (int at : missing.values()) {
            var row = rows.get(at);
            // a payload deleted since the first read is null: the text is then what is known of the event
            rows.set(at, new Row(row.id(), row.eventType(), row.toolName(), row.command(),
                    SearchText.ofStored(payloads.get(row.id()), row.eventType(), row.toolName(), row.command())));
        }
        return rows;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            index.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the search index: " + e);
        } finally {
            lock.unlock();
        }
    }
}
