package watchtower.machines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.testing.Api;
import watchtower.testing.TestDb;
import watchtower.testing.TestServer;

/**
 * A Watchtower bound to every interface (0.0.0.0), as team mode runs it, with helpers to enroll
 * machines and talk to it as the install token, as a machine, or with no token. The database is
 * this helper's own, so a test can stop the server and start it again on the same data.
 */
final class TeamServer implements AutoCloseable {
    private final Path dir;
    private final DbTarget db;
    private TestServer server;

    private TeamServer(Path dir, DbTarget db) {
        this.dir = dir;
        this.db = db;
    }

    static TeamServer start(Path dir) throws Exception {
        var db = TestDb.isPostgres() ? TestDb.createDatabase() : new DbTarget.SqliteFile(dir.resolve("watchtower.db"));
        var team = new TeamServer(dir, db);
        team.startOn(0);
        return team;
    }

    /** Starts (again) on {@code port}, 0 for any, with the same database and data folder. */
    void startOn(int port) throws Exception {
        var base = Config.forTests(dir);
        server = TestServer.start(new Config("0.0.0.0", port, db, base.dataDir(), Optional.empty(), List.of(), 0));
    }

    /** Stops the server; the database stays for {@link #startOn}. */
    void stop() {
        if (server != null) server.close();
        server = null;
    }

    int port() { return server.port(); }
    String loopbackUrl() { return "http://127.0.0.1:" + port(); }
    TestServer server() { return server; }

    /** The install token's client. */
    Api admin() {
        return new Api(loopbackUrl(), server.token());
    }

    Api as(String token) {
        return new Api(loopbackUrl(), token);
    }

    Api anonymous() {
        return new Api(loopbackUrl(), null);
    }

    /** Enrolls a machine and returns its token. */
    String enroll(String name) {
        var r = admin().post("/machines", Api.obj("name", name));
        assertEquals(201, r.status(), r.body());
        return r.json().get("token").asText();
    }

    long count(String sql, Object... params) throws SQLException {
        try (var c = server.jdbc(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One text column of one row, or null when there is no such row or the value is NULL. */
    String text(String sql, Object... params) throws SQLException {
        try (var c = server.jdbc(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public void close() {
        stop();
        if (db instanceof DbTarget.Postgres pg) TestDb.dropDatabase(pg);
    }
}
