package watchtower.store;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import watchtower.core.Threads;

/**
 * SQLite's full-text index of events, filled just behind ingest instead of inside each write.
 * An FTS5 insert writes a new index segment at every commit, which took about half of a lone
 * write's time; a batch of a few hundred events writes one. A background thread indexes what is
 * new every {@link #EVERY_MS} ms, through the writer like any other write.
 *
 * <p>Events are indexed in id order, so the highest id in the index is how far it got: nothing
 * else to keep, and nothing lost in a crash (the next start goes on from there). The text is
 * computed at ingest and kept until indexed; after a restart it is computed again from the
 * stored payload. A search catches up first, so it finds every event acknowledged before it,
 * unless more than {@link #SEARCH_WAITS_AT_MOST} events are waiting (after a crash of a busy
 * server) or the writer cannot take the batch: then it answers from what is indexed so far.
 */
public final class SearchIndex implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    static final int BATCH = 2_000;
    static final long EVERY_MS = 200;
    static final long SEARCH_WAITS_AT_MOST = 20_000;
    private static final int MAX_KEPT_TEXTS = 100_000; // beyond, texts are computed again when indexed

    private final Writer writer;
    private final ConcurrentSkipListMap<Long, String> texts = new ConcurrentSkipListMap<>();
    private final AtomicLong written = new AtomicLong();  // highest event id written, committed or not
    private final AtomicLong indexed = new AtomicLong();  // highest event id known to be in the index
    private final Thread thread;
    private volatile boolean running = true;

    SearchIndex(Db db, Writer writer) {
        this.writer = writer;
        written.set(db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COALESCE(max(id), 0) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }));
        this.thread = Threads.startDaemon("search-index", this::loop);
    }

    /** Called in the write that stores event {@code id}: index it soon with this text. */
    void later(long id, String text) {
        if (id - indexed.get() < MAX_KEPT_TEXTS) texts.put(id, text); // bounded by distance: size() walks the map
        written.accumulateAndGet(id, Math::max);
    }

    /** Before a search: index what is waiting, unless that is a large backlog. */
    public void catchUp() {
        try {
            while (written.get() > indexed.get() && written.get() - indexed.get() <= SEARCH_WAITS_AT_MOST) {
                if (indexBatch() == 0) return;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "search index: searching what is indexed so far: " + e.getMessage());
        }
    }

    private void loop() {
        while (running) {
            try {
                // a backlog goes on at once, one batch per write, so ingest's writes interleave
                if (written.get() <= indexed.get() || indexBatch() == 0) Thread.sleep(EVERY_MS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // the writer is busy, stopping, or the disk failed
                LOG.log(System.Logger.Level.WARNING, "search index: will try again: " + e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** One batch in one write; how many events it indexed. */
    private int indexBatch() {
        var done = writer.execute(this::indexNext);
        indexed.accumulateAndGet(done.through(), Math::max);
        return done.count();
    }

    private record Batch(long through, int count) {}

    private Batch indexNext(Tx tx) throws SQLException {
        // every write that got an id up to here has committed or rolled back: writes run one at a time
        long writtenBefore = written.get();
        long through;
        try (var rs = tx.prepared("SELECT rowid FROM events_fts ORDER BY rowid DESC LIMIT 1").executeQuery()) {
            through = rs.next() ? rs.getLong(1) : 0;
        }
        texts.headMap(through, true).clear();
        var insert = tx.prepared("INSERT INTO events_fts (rowid, text) VALUES (?, ?)");
        int count = 0;
        var next = Rows.bind(tx.prepared("SELECT id, event_type, tool_name, command FROM events WHERE id > ? ORDER BY id LIMIT ?"),
                through, BATCH);
        try (var rs = next.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                var text = texts.remove(id);
                if (text == null) text = SearchText.ofStored(payload(tx, id), rs.getString(2), rs.getString(3), rs.getString(4));
                insert.setLong(1, id);
                insert.setString(2, text);
                insert.executeUpdate();
                through = id;
                count++;
            }
        }
        // the whole backlog read: ids up to writtenBefore not found were rolled back, not pending
        return new Batch(count < BATCH ? Math.max(through, writtenBefore) : through, count);
    }

    private static String payload(Tx tx, long id) throws SQLException {
        try (var rs = Rows.bind(tx.prepared("SELECT payload FROM events WHERE id = ?"), id).executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
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
    }
}
