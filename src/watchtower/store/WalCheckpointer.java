package watchtower.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;
import watchtower.core.Threads;

/**
 * Copies SQLite's write-ahead log back into the database file, beside the writer. Left to
 * SQLite, the commit that crosses 1000 WAL pages runs the checkpoint inline, syncing the file
 * while every request in its group waits (the p99 spikes at one client). So the writer's
 * automatic checkpoint is off and this thread runs a PASSIVE checkpoint every second on its own
 * connection: it never blocks the writer, and a commit never waits for a sync of the file.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    private static final long EVERY_MS = 1_000;

    private final Connection connection;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.named("wal-checkpoint", true));

    private WalCheckpointer(Connection connection) {
        this.connection = connection;
    }

    /** Turns off the writer's inline checkpoints and starts this one. */
    static WalCheckpointer start(Path file, Connection writer) throws SQLException {
        try (var st = writer.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint=0");
        }
        var config = new SQLiteConfig();
        config.setBusyTimeout(5_000);
        var checkpointer = new WalCheckpointer(config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()));
        checkpointer.timer.scheduleWithFixedDelay(() -> checkpointer.run("PASSIVE"), EVERY_MS, EVERY_MS,
                TimeUnit.MILLISECONDS);
        return checkpointer;
    }

    private void run(String mode) {
        try (var st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(" + mode + ")");
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "WAL checkpoint (" + mode + ") failed: " + e.getMessage());
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
        run("TRUNCATE");
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the checkpoint connection: " + e);
        }
    }
}
