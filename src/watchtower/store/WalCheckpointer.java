package watchtower.store;

import java.io.IOException;
import java.nio.file.Files;
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
 *
 * <p>A log that starts over keeps its file, written over from the start. SQLite could cut the
 * file back at that point ({@code journal_size_limit}), but that is done by the next commit, and
 * freeing a few hundred MB took that commit 100-130 ms with every request waiting. So the file is
 * cut back here instead, once no one has written for a round.
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
    /** A log file bigger than this is emptied once writes pause, so one burst does not keep its disk space. */
    static final long LOG_SIZE_LIMIT = 64L << 20;
    private static final int BUSY_TIMEOUT_MS = 5_000;
    /** How long emptying the log waits for the write lock and for readers, holding up writes meanwhile. */
    private static final int CUT_BACK_WAIT_MS = 100;

    private final Connection connection;
    private final Path log;
    private final int longLogFrames;
    private final long logSizeLimit;
    /** {@code PRAGMA data_version} at the last round: it changes when another connection commits. */
    private long lastDataVersion = -1;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.named("wal-checkpoint", true));
    private final AtomicBoolean writerFinishes = new AtomicBoolean();

    private WalCheckpointer(Connection connection, Path log, int longLogFrames, long logSizeLimit) {
        this.connection = connection;
        this.log = log;
        this.longLogFrames = longLogFrames;
        this.logSizeLimit = logSizeLimit;
    }

    /** Turns off the writer's inline checkpoints and starts this one. */
    static WalCheckpointer start(Path file, Connection writer) throws SQLException {
        return start(file, writer, LONG_LOG_FRAMES, LOG_SIZE_LIMIT);
    }

    /**
     * As {@link #start(Path, Connection)}, bringing back a log longer than {@code longLogFrames}
     * and emptying a log file bigger than {@code logSizeLimit} bytes when writes pause.
     */
    static WalCheckpointer start(Path file, Connection writer, int longLogFrames, long logSizeLimit) throws SQLException {
        try (var st = writer.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint=0");
            st.execute("PRAGMA journal_size_limit=-1"); // never cut back by a commit: see the class comment
        }
        var config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        var log = file.resolveSibling(file.getFileName() + "-wal");
        var checkpointer = new WalCheckpointer(config.createConnection(Db.jdbcUrl(file)),
                log, longLogFrames, logSizeLimit);
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
        long dataVersion = dataVersion();
        boolean written = dataVersion < 0 || dataVersion != lastDataVersion;
        lastDataVersion = dataVersion;
        long logBefore = -1;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            var progress = checkpoint(connection, "PASSIVE");
            if (progress == null) return;
            if (progress.logFrames() < longLogFrames) {
                if (pass == 0 && !written) cutBackIfLarge();
                return;
            }
            boolean allCopied = progress.copiedFrames() == progress.logFrames(); // a reader may hold some back
            if (allCopied && logBefore >= 0 && progress.logFrames() - logBefore <= WRITER_TAIL_FRAMES) {
                writerFinishes.set(true);
                return;
            }
            logBefore = progress.logFrames();
        }
    }

    /**
     * Empties a large log file while no one writes. The checkpoint holds the write lock, so a write
     * that comes meanwhile waits for it: the price, once per burst, of giving the disk back. It also
     * waits, holding that lock, for readers still on the log; so it waits briefly, and a round
     * with a long read going on leaves the file for a later one.
     */
    void cutBackIfLarge() {
        try {
            if (Files.size(log) <= logSizeLimit) return;
        } catch (IOException e) {
            return; // no log file (yet): nothing to cut back
        }
        try (var st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout=" + CUT_BACK_WAIT_MS);
            try {
                checkpoint(connection, "TRUNCATE");
            } finally {
                st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "cutting the WAL file back: " + e.getMessage());
        }
    }

    /** Changes whenever another connection commits; -1 when it cannot be read (then every round counts as written). */
    private long dataVersion() {
        try (var st = connection.createStatement(); var rs = st.executeQuery("PRAGMA data_version")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
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
