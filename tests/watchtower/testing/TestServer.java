package watchtower.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.server.Server;

/** A real Watchtower on a loopback port with its own database and data folder, for one test. */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final Api api;
    private final DbTarget.Postgres ownedDatabase;

    private TestServer(Server server, DbTarget.Postgres ownedDatabase) {
        this.server = server;
        this.api = new Api(server.url(), server.secret().value());
        this.ownedDatabase = ownedDatabase;
    }

    public static TestServer start(Path dir) throws IOException, SQLException {
        return start(Config.forTests(dir));
    }

    /** Starts on the config's SQLite file, or on a fresh PostgreSQL database in the PostgreSQL pass. */
    public static TestServer start(Config config) throws IOException, SQLException {
        if (!TestDb.isPostgres() || !(config.db() instanceof DbTarget.SqliteFile)) {
            return new TestServer(Server.start(config), null);
        }
        var pg = TestDb.createDatabase();
        try {
            return new TestServer(Server.start(config.withDb(pg)), pg);
        } catch (IOException | SQLException | RuntimeException e) {
            TestDb.dropDatabase(pg);
            throw e;
        }
    }

    public Api api() { return api; }
    public Server server() { return server; }
    public String url() { return server.url(); }
    public int port() { return server.port(); }
    public String token() { return server.secret().value(); }
    /** A new connection to this server's database (SQLite file or PostgreSQL), for checking what is stored. */
    public java.sql.Connection jdbc() throws SQLException {
        if (server.config().db() instanceof DbTarget.Postgres pg) {
            return java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        }
        return java.sql.DriverManager.getConnection(watchtower.store.Db.jdbcUrl(dbFile())); // as the server opens it: the file is ours alone
    }

    /** SQLite's search index, a file of its own beside the database (SearchIndex). */
    public java.sql.Connection searchJdbc() throws SQLException {
        return java.sql.DriverManager.getConnection(watchtower.store.Db.jdbcUrl(watchtower.store.SearchIndex.fileFor(dbFile())));
    }

    /** The SQLite file; tests that read it directly call {@link TestDb#assumeSqlite} first. */
    public Path dbFile() {
        if (server.config().db() instanceof DbTarget.SqliteFile f) return f.file();
        throw new IllegalStateException("this server runs on " + server.config().db().describe());
    }

    @Override
    public void close() {
        server.close();
        if (ownedDatabase != null) TestDb.dropDatabase(ownedDatabase);
    }
}
