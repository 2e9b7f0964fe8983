package watchtower.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteConfig;
import watchtower.core.Threads;

/**
 * Copies SQLite's write-ahead log back into the database file, beside the writer, and keeps the
 * log from growing without end.
 *
 * <p>Left to SQLite, the commit that crosses 1000 WAL pages runs the checkpoint inline, syncing
 * the file while every request in its group waits (the p99 spikes at one client). So the
 * writer's automatic checkpoint is off and this thread runs PASSIVE checkpoints every second on
 * its own connection: they never block the writer.
 *
 * <p>But a log only starts over from its beginning when a write finds every frame copied, and
 * under steady writes a checkpoint on another connection never gets there: frames committed
 * while it copies are left for the next one. The log then grows without end (1.6 GB after a
 * minute of one client's writes, against a 50 MB database). So when the log is long, this
 * thread copies until only a short tail is left, and asks the writer to copy that tail itself
 * between two groups ({@link #afterGroup}); nothing is appended while it does, so its next write
 * starts the log over.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    private static final long EVERY_MS = 1_000;
    /**
     * A log past this many frames (4 KiB pages: 256 MiB) is brought back to its start. Not less:
     * the writer's copy of the tail ends with two syncs, and under load they took 5-18 ms, in
     * which every request waits; at this length that happens every few seconds at the most.
     */
    static final int LONG_LOG_FRAMES = 65_536;
    /** The most frames left for the writer to copy: its two syncs cost more than the copying. */
    static final int WRITER_TAIL_FRAMES = 256;
    /** Passes in one round before giving up until the next: the writes may outpace the copying. */
    private static final int MAX_PASSES = 8;
    /** After a restart the log file is cut back to this size, so one burst does not keep its disk space. */
    private static final long LOG_SIZE_LIMIT = 64L << 20;

    private final Connection connection;
    private final int longLogFrames;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.named("wal-checkpoint", true));
    private final AtomicBoolean writerFinishes = new AtomicBoolean();

    private WalCheckpointer(Connection connection, int longLogFrames) {
        this.connection = connection;
        this.longLogFrames = longLogFrames;
    }

    /** Turns off the writer's inline checkpoints and starts this one. */
    static WalCheckpointer start(Path file, Connection writer) throws SQLException {
        return start(file, writer, LONG_LOG_FRAMES);
    }

    /** As {@link #start(Path, Connection)}, bringing back a log longer than {@code longLogFrames}. */
    static WalCheckpointer start(Path file, Connection writer, int longLogFrames) throws SQLException {
        try (var st = writer.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint=0");
            st.execute("PRAGMA journal_size_limit=" + LOG_SIZE_LIMIT);
        }
        var config = new SQLiteConfig();
        config.setBusyTimeout(5_000);
        var checkpointer = new WalCheckpointer(config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()), longLogFrames);
        checkpointer.timer.scheduleWithFixedDelay(checkpointer::round, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
        return checkpointer;
    }

    /** What {@code PRAGMA wal_checkpoint} reports: frames in the log when it started, and how many it copied. */
    private record Progress(long logFrames, long copiedFrames) {}

    /**
     * A pass copies the frames that were there when it started; those committed meanwhile are
     * left. Each pass after the first copies only what came in during the one before, so passes
     * get shorter; once one left at most {@link #WRITER_TAIL_FRAMES}, the writer copies the rest.
     */
    private void round() {
        long logBefore = -1;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            var progress = checkpoint(connection, "PASSIVE");
            if (progress == null || progress.logFrames() < longLogFrames) return;
            boolean allCopied = progress.copiedFrames() == progress.logFrames(); // a reader may hold some back
            if (allCopied && logBefore >= 0 && progress.logFrames() - logBefore <= WRITER_TAIL_FRAMES) {
                writerFinishes.set(true);
                return;
            }
            logBefore = progress.logFrames();
        }
    }

    /**
     * Called by the writer thread between groups, with no transaction open: copies the short tail
     * this thread left, when it asked for that, so the writer's next write restarts the log.
     */
    void afterGroup(Connection writer) {
        if (!writerFinishes.get() || !writerFinishes.compareAndSet(true, false)) return;
        checkpoint(writer, "PASSIVE");
    }

    private static Progress checkpoint(Connection c, String mode) {
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            return rs.next() ? new Progress(rs.getLong(2), rs.getLong(3)) : null;
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "WAL checkpoint (" + mode + ") failed: " + e.getMessage());
            return null;
        }
    }

    /** A last checkpoint that also empties the log (the writer has stopped), then the connection closes. */
    @Override
    public void close() {
        timer.shutdown(); // a running checkpoint finishes; interrupting it can leave the connection closed
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint(connection, "TRUNCATE");
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the checkpoint connection: " + e);
        }
    }
}
