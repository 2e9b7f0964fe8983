package watchtower.store;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import watchtower.core.Threads;
import watchtower.core.Time;

/**
 * Prunes history older than the retention period, in the background: events, finished
 * approvals, and terminated sessions that ended before the cut-off. Each batch is one small
 * write on the shared writer, so ingest interleaves with pruning instead of waiting behind it.
 * Session counters (tool_calls, event_count) stay lifetime totals.
 */
public final class Retention implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    static final int BATCH = 2_000;

    private final Store store;
    private final int days;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.named("retention", true));

    public Retention(Store store, int days) {
        this.store = store;
        this.days = days;
    }

    /** Prunes now and then every {@code every}; does nothing when days is 0 (keep everything). */
    public Retention start(Duration every) {
        if (days > 0) timer.scheduleWithFixedDelay(this::pruneQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Deletes everything older than the cut-off; returns the number of events removed. */
    public long pruneOnce(Instant now) {
        var cutoff = Time.format(now.minus(Duration.ofDays(days)));
        long end = firstIdFrom(cutoff);
        long removed = 0;
        while (true) {
            int n = store.writer().execute(tx -> {
                try (var ps = tx.connection().prepareStatement(
                        "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id < ? AND created_at < ? ORDER BY id LIMIT ?)"
                                + " RETURNING id")) {
                    var ids = new java.util.ArrayList<Long>();
                    try (var rs = Rows.bind(ps, end, cutoff, BATCH).executeQuery()) {
                        while (rs.next()) ids.add(rs.getLong(1));
                    }
                    var index = store.searchIndex();
                    if (index != null) tx.afterCommit(() -> index.forget(ids));
                    return ids.size();
                }
            });
            removed += n;
            if (n < BATCH || Thread.currentThread().isInterrupted()) break;
        }
        store.writer().execute(tx -> {
            try (var a = tx.connection().prepareStatement(
                         "DELETE FROM approvals WHERE status != 'pending' AND created_at < ?");
                 var s = tx.connection().prepareStatement(
                         "DELETE FROM sessions WHERE state = 'terminated' AND ended_at < ?"
                                 + " AND NOT EXISTS (SELECT 1 FROM events e WHERE e.session_id = sessions.id)")) {
                Rows.bind(a, cutoff).executeUpdate();
                Rows.bind(s, cutoff).executeUpdate();
            }
            return null;
        });
        return removed;
    }

    /**
     * Where the events at or after the cut-off begin: a binary search on the id, a few key lookups
     * on a reader. Events are stamped with the server's clock as they are appended, so created_at
     * grows with the id, and the prune scans ids below this one instead of needing an index on
     * created_at (which cost a page in every event's commit). An event stamped out of order (a
     * clock set back) is still judged by its own created_at; at worst it waits for a later pass.
     */
    long firstIdFrom(String cutoff) {
        return store.db().read(c -> {
            try (var first = c.prepareStatement("SELECT id, created_at FROM events WHERE id >= ? ORDER BY id LIMIT 1");
                 var last = c.createStatement(); var rs = last.executeQuery("SELECT COALESCE(max(id), 0) FROM events")) {
                rs.next();
                long lo = 0, hi = rs.getLong(1) + 1; // every event below lo is older; the first from hi on is not
                while (lo < hi) {
                    long mid = lo + (hi - lo) / 2;
                    try (var row = Rows.bind(first, mid).executeQuery()) {
                        if (row.next() && row.getString(2) != null && row.getString(2).compareTo(cutoff) < 0) {
                            lo = row.getLong(1) + 1;
                        } else {
                            hi = mid;
                        }
                    }
                }
                return lo;
            }
        });
    }

    private void pruneQuietly() {
        try {
            long n = pruneOnce(Instant.now());
            if (n > 0) LOG.log(System.Logger.Level.INFO, "retention: pruned " + n + " events older than " + days + " days");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "retention pass failed, will retry: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
