package watchtower.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static watchtower.testing.Api.obj;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import watchtower.core.Config;
import watchtower.testing.TestServer;

/**
 * The reference uv-suite 0.32 dashboard, unchanged (static/reference/), in real headless Chromium
 * against our server: it connects to /live, shows sessions and events as they arrive, and its
 * Approve button decides on our server. It is hard-wired to http://localhost:4200, so the test
 * needs that port free.
 */
class ReferenceDashboardTest {
    @TempDir
    Path dir;

    @Test
    void theReferenceDashboardUpdatesLiveAndApprovesAgainstOurServer() throws Exception {
        assumeTrue(Browser.missing().isEmpty(), () -> Browser.missing().orElse(""));
        assumeTrue(portFree(4200), "port 4200 is in use, and the reference dashboard only talks to localhost:4200");
        var base = Config.forTests(dir);
        var config = new Config(base.host(), 4200, base.db(), base.dataDir(), Optional.empty(), List.of(), 0);
        try (var server = TestServer.start(config); var browser = Browser.start()) {
            var api = server.api();
            api.post("/events", obj("session_id", "ref-before", "event_type", "SessionStart", "session_name", "Before"));

            // the user opened our dashboard once with #token=: that left the same-site cookie
            browser.get("http://localhost:4200/health");
            browser.driver().manage().addCookie(new org.openqa.selenium.Cookie("uvs_token", server.token()));
            browser.get("http://localhost:4200/static/reference/dashboard.html");
            browser.waitText("#conn-text", "live");
            browser.waitText("#grid", "Before");

            api.post("/events", obj("session_id", "ref-live", "event_type", "SessionStart", "session_name", "Arrived live"));
            api.post("/events", obj("session_id", "ref-live", "event_type", "PreToolUse", "tool_name", "Bash", "command", "make test"));
            browser.waitText("#grid", "Arrived live");
            browser.waitText("#hb-log", "PreToolUse");

            api.post("/approvals", obj("session_id", "ref-live", "tool_name", "Bash", "command", "rm -rf ./build"));
            browser.waitText("#approvals", "rm -rf ./build");
            var approve = browser.waitUntil("an Approve button", d -> d.findElements(By.xpath("//div[@id='approvals']//button"))
                    .stream().filter(b -> b.getText().toLowerCase().contains("approve")).findFirst().orElse(null));
            approve.click();
            browser.waitUntil("the approval decided on the server",
                    d -> api.get("/approvals?status=approved").json().size() == 1 ? Boolean.TRUE : null);
            assertEquals(0, api.get("/approvals").json().size());
        }
    }

    private static boolean portFree(int port) {
        try (var s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
