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
import watchtower.core.DbTarget;
import watchtower.http.ApiError;

/**
 * The database: one write connection (owned by {@link Writer}) and a small pool of read
 * connections, so queries run beside the writer.
 *
 * SQLite runs in WAL with synchronous=NORMAL: a commit is in the WAL when it returns, which
 * survives a crash or kill -9 of this process (not a power cut, which would need FULL and an
 * fsync per group). PostgreSQL commits durably by its own settings.
 *
 * <p>This process owns its SQLite file ({@link #jdbcUrl}): other processes cannot open it while we
 * run, so a second server on the same file stops at start-up instead of writing beside us.
 */
public final class Db implements AutoCloseable {
    private final DbTarget target;
    private final Dialect dialect;
    private volatile Connection writeConnection;
    private final BlockingQueue<Connection> readers;
    private final int readerCount;
    private final WalCheckpointer checkpointer; // SQLite only
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Db(DbTarget target, Dialect dialect, Connection writeConnection, BlockingQueue<Connection> readers,
               int readerCount, WalCheckpointer checkpointer) {
        this.target = target;
        this.dialect = dialect;
        this.writeConnection = writeConnection;
        this.readers = readers;
        this.readerCount = readerCount;
        this.checkpointer = checkpointer;
    }

    public static Db open(Path file, int readerCount) throws SQLException, IOException {
        return open(new DbTarget.SqliteFile(file), readerCount);
    }

    public static Db open(DbTarget target, int readerCount) throws SQLException, IOException {
        if (target instanceof DbTarget.SqliteFile f) {
            var parent = f.file().toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        }
        var writer = connect(target, false);
        try {
            if (target instanceof DbTarget.Postgres) PostgresSchema.apply(writer);
            else Migrations.apply(writer);
            var pool = new ArrayBlockingQueue<Connection>(readerCount);
            for (int i = 0; i < readerCount; i++) pool.add(connect(target, true));
            var dialect = target instanceof DbTarget.Postgres ? Dialect.POSTGRES : Dialect.SQLITE;
            var checkpointer = target instanceof DbTarget.SqliteFile f ? WalCheckpointer.start(f.file(), writer) : null;
            return new Db(target, dialect, writer, pool, readerCount, checkpointer);
        } catch (SQLException | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private static Connection connect(DbTarget target, boolean readOnly) throws SQLException {
        if (target instanceof DbTarget.Postgres pg) return PostgresConnections.open(pg);
        return connect(((DbTarget.SqliteFile) target).file(), readOnly);
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5_000);
        config.enforceForeignKeys(false);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // otherwise the driver prepares and runs "SELECT last_insert_rowid()" after every INSERT
        // (the session upsert is one), on the writer; our inserts that need the id say RETURNING id
        config.setGetGeneratedKeys(false);
        if (readOnly) config.setReadOnly(true);
        return config.createConnection(jdbcUrl(file));
    }

    /**
     * Every connection to a SQLite file of ours, in this process. SQLite's "unix-excl" VFS locks
     * the file for this process alone and keeps the log's index in memory: a transaction then
     * makes no file-lock system calls (it made six per write, and more per read, each one
     * costly on a virtual machine). Connections of this process share the file as before.
     */
    public static String jdbcUrl(Path file) {
        var path = file.toAbsolutePath().toString();
        // a SQLite URI: '?' starts its parameters, '#' ends it, '%' escapes
        path = path.replace("%", "%25").replace("?", "%3F").replace("#", "%23");
        return "jdbc:sqlite:file:" + path + "?vfs=unix-excl";
    }

    public DbTarget target() { return target; }

    public Dialect dialect() { return dialect; }

    Connection writeConnection() { return writeConnection; }

    /** The writer calls this between groups, on its connection: where SQLite's log can start over. */
    void afterGroup(Connection writer) {
        if (checkpointer != null) checkpointer.afterGroup(writer);
    }

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
            try {
                return query.run(c);
            } catch (SQLException e) {
                if (!lost(e, c)) throw e;
                // the database server restarted or dropped us: a read is safe to run again
                c = replace(c);
                return query.run(c);
            }
        } catch (SQLException e) {
            if (lost(e, c)) throw ApiError.unavailable("database unreachable: " + e.getMessage());
            throw new StoreException("read failed", e);
        } finally {
            readers.add(c);
        }
    }

    /** A connection the server closed (SQLState class 08, or closed under us): not the query's fault. */
    static boolean lost(SQLException e, Connection c) {
        var state = e.getSQLState();
        if (state != null && state.startsWith("08")) return true;
        try {
            return c.isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    /** A fresh connection in place of a lost one (the lost one is kept if none can be opened). */
    private Connection replace(Connection lost) {
        try {
            var fresh = connect(target, true);
            try {
                lost.close();
            } catch (SQLException ignored) {
                // it was already gone
            }
            return fresh;
        } catch (SQLException e) {
            return lost;
        }
    }

    /** A new write connection in place of one the database dropped (the writer asks after a failed group). */
    Connection reconnectWriter() throws SQLException {
        var fresh = connect(target, false);
        try {
            writeConnection.close();
        } catch (SQLException ignored) {
            // it was already gone
        }
        writeConnection = fresh;
        return fresh;
    }

    @Override
    public void close() {
        // once: a second close would wait 5 s for each reader the first one already closed
        if (!closed.compareAndSet(false, true)) return;
        for (int i = 0; i < readerCount; i++) {
            try {
                var c = readers.poll(5, TimeUnit.SECONDS);
                if (c != null) c.close();
            } catch (InterruptedException | SQLException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (checkpointer != null) checkpointer.close();
        try {
            writeConnection.close();
        } catch (SQLException e) {
            System.getLogger("watchtower.store").log(System.Logger.Level.WARNING, "closing the database: " + e);
        }
    }
}
