package watchtower.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import watchtower.core.Config;
import watchtower.server.Server;

/** A real Watchtower on a loopback port with its own database and data folder, for one test. */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final Api api;

    private TestServer(Server server) {
        this.server = server;
        this.api = new Api(server.url(), server.secret().value());
    }

    public static TestServer start(Path dir) throws IOException, SQLException {
        return new TestServer(Server.start(Config.forTests(dir)));
    }

    public static TestServer start(Config config) throws IOException, SQLException {
        return new TestServer(Server.start(config));
    }

    public Api api() { return api; }
    public Server server() { return server; }
    public String url() { return server.url(); }
    public int port() { return server.port(); }
    public String token() { return server.secret().value(); }
    public Path dbFile() { return server.config().db(); }

    @Override
    public void close() {
        server.close();
    }
}
