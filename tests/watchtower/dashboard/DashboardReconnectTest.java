package watchtower.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static watchtower.testing.Api.obj;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.testing.TestServer;

/**
 * The page outlives its server: when Watchtower stops, the dashboard says it is offline and
 * keeps retrying; when it is back on the same port, the page reconnects by itself, resyncs from
 * the snapshot and shows what arrived meanwhile, without a reload.
 */
class DashboardReconnectTest {
    TestServer server;
    Browser browser;

    @AfterEach
    void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void reconnectsAfterAServerRestartAndResyncs(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Browser.missing().isEmpty(), () -> "no browser: " + Browser.missing().orElse(""));
        server = TestServer.start(dir);
        int port = server.port();
        browser = Browser.start();
        post("/events", obj("session_id", "rc-before", "session_name", "Before the restart", "event_type", "SessionStart"));
        browser.get(server.url() + "/#token=" + server.token());
        browser.waitText("#sessions li[data-id='rc-before']", "Before the restart");
        browser.waitText("#conn-text", "live");

        server.close();
        server = null;
        browser.waitText("#conn-text", "offline");

        // same port, database and token, as after `watchtower` is restarted
        server = TestServer.start(new Config("127.0.0.1", port, new DbTarget.SqliteFile(dir.resolve("watchtower.db")), dir.resolve("uvs"),
                Optional.empty(), List.of(), 0));
        post("/events", obj("session_id", "rc-after", "session_name", "After the restart", "event_type", "SessionStart"));
        browser.waitUntil("live again", Duration.ofSeconds(30), d -> browser.one("#conn-text").getText().equals("live"));
        browser.waitText("#sessions li[data-id='rc-after']", "After the restart");
        browser.waitText("#sessions li[data-id='rc-before']", "Before the restart");

        // and the stream works on the new connection
        post("/approvals", obj("session_id", "rc-after", "tool_name", "Bash", "command", "echo after-restart",
                "request", obj("tool_input", obj("command", "echo after-restart"))));
        browser.waitText("#approvals", "echo after-restart");
    }

    // --- infra ---

    void post(String path, Object body) {
        var r = server.api().post(path, body);
        assertEquals(200, r.status(), path + ": " + r.body());
    }
}
