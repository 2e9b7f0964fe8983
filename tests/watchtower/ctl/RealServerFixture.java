package watchtower.ctl;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.TestServer;

/** For `wtctl` tests against a real server: one per test, with wtctl's environment pointed at it. */
abstract class RealServerFixture {
    @TempDir
    Path dir;
    TestServer server;
    CtlEnv env;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(dir);
        env = Ctl.env(dir, server.url(), dir.resolve("uvs"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
