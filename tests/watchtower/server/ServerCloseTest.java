package watchtower.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static watchtower.testing.Api.obj;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Config;
import watchtower.testing.TestServer;

/** Closing the server: a second close (a test's teardown, a shutdown hook) has nothing left to do. */
class ServerCloseTest {
    @TempDir
    Path dir;

    @Test
    void aSecondCloseReturnsAtOnceAndTheDataStays() throws Exception {
        var config = Config.forTests(dir);
        var server = TestServer.start(config);
        assertEquals(200, server.api().post("/events", obj("session_id", "s", "event_type", "Stop")).status());
        server.close();
        // it used to wait 5 s for each pooled reader the first close had already closed
        assertTimeoutPreemptively(Duration.ofSeconds(3), server::close);
        try (var again = TestServer.start(config)) {
            assertEquals(1, again.api().get("/sessions/s/events").json().size());
        }
    }
}
