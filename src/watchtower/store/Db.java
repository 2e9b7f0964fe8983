package watchtower.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;
import watchtower.http.ApiError;

/**
 * The SQLite file: one write connection (owned by {@link Writer}) and a small pool of read
 * connections, so queries run beside the writer. WAL with synchronous=NORMAL: a commit is in
 * the WAL when it returns, which survives a crash or kill -9 of this process (not a power cut,
 * which would need FULL and an fsync per group).
 */
public final class Db implements AutoCloseable {
    private final Path file;
    private final Connection writeConnection;
    private final BlockingQueue<Connection> readers;
    private final int readerCount;

    private Db(Path file, Connection writeConnection, BlockingQueue<Connection> readers, int readerCount) {
        this.file = file;
        this.writeConnection = writeConnection;
        this.readers = readers;
        this.readerCount = readerCount;
    }

    public static Db open(Path file, int readerCount) throws SQLException, IOException {
        var parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        var writer = connect(file, false);
        Migrations.apply(writer);
        var pool = new ArrayBlockingQueue<Connection>(readerCount);
        for (int i = 0; i < readerCount; i++) pool.add(connect(file, true));
        return new Db(file, writer, pool, readerCount);
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5_000);
        config.enforceForeignKeys(false);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        if (readOnly) config.setReadOnly(true);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public Path file() { return file; }

    Connection writeConnection() { return writeConnection; }

    @FunctionalInterface
    public interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read on a pooled connection; 503 if every reader stays busy for 5 s. */
    public <T> T read(Query<T> query) {
        Connection c;
        try {
            c = readers.poll(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while waiting for the database");
        }
        if (c == null) throw ApiError.unavailable("database busy, try again");
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw new StoreException("read failed", e);
        } finally {
            readers.add(c);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < readerCount; i++) {
            try {
                var c = readers.poll(5, TimeUnit.SECONDS);
                if (c != null) c.close();
            } catch (InterruptedException | SQLException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            writeConnection.close();
        } catch (SQLException e) {
            System.getLogger("watchtower.store").log(System.Logger.Level.WARNING, "closing the database: " + e);
        }
    }
}
