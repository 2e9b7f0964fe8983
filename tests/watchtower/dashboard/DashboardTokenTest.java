package watchtower.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.TestServer;

/** How the dashboard takes the install token in real Chromium: from the address, and what it says without one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTokenTest {
    TestServer server;
    Browser browser;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        Assumptions.assumeTrue(Browser.missing().isEmpty(), () -> "no browser: " + Browser.missing().orElse(""));
        server = TestServer.start(tempDir);
        browser = Browser.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    void tokenIsTakenFromTheAddressAndRemoved() {
        browser.get(server.url() + "/health"); // leave the page, so the next load is a fresh one
        browser.get(server.url() + "/#token=" + server.token());
        browser.waitUntil("the dashboard loaded", d -> "true".equals(browser.js("return document.documentElement.dataset.ready")));
        assertFalse(browser.driver().getCurrentUrl().contains("token"), browser.driver().getCurrentUrl());
        assertEquals(server.token(), browser.js("return sessionStorage.getItem('uvs.token')"));
    }

    @Test
    void withoutATokenThePageExplainsHowToOpenIt() {
        browser.get(server.url() + "/health"); // same origin, to clear what an earlier test left
        browser.driver().manage().deleteAllCookies();
        browser.js("sessionStorage.clear()");
        browser.get(server.url() + "/");
        var auth = browser.waitFor("#auth");
        assertTrue(auth.getText().contains("jbang wtctl open"), auth.getText());
        assertTrue(auth.getText().contains("~/.uvs/token"), auth.getText());
        assertFalse(browser.one("#layout").isDisplayed(), "no panes without the token");
    }

    @Test
    void aWrongTokenIsRefusedWithTheSameHelp() {
        browser.get(server.url() + "/health");
        browser.driver().manage().deleteAllCookies();
        browser.get(server.url() + "/#token=" + "0".repeat(64));
        browser.waitText("#auth", "refused the token");
    }
}
