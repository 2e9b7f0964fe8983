package watchtower.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static watchtower.testing.Api.obj;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * A page on another origin, in real headless Chromium, tries what a malicious site could do to
 * a Watchtower on loopback: simple-request CSRF, a text/plain form post, a JSON fetch, the
 * WebSocket, reading the API, and DNS rebinding. Afterwards nothing on the server has changed.
 */
class BrowserAttackTest {
    @TempDir
    Path dir;

    private static final String ATTACKS = """
            <!doctype html><html><body><iframe name="sink"></iframe>
            <form id="f" method="POST" enctype="text/plain" target="sink" action="TARGET/approvals/1/decide">
              <input name='{"decision":"approve","x":"' value='"}'></form>
            <script>
            const T = "TARGET", results = {};
            async function attempt(name, fn) { try { results[name] = await fn(); } catch (e) { results[name] = "blocked: " + e.name; } }
            (async () => {
              await attempt("noCorsDecide", () => fetch(T + "/approvals/1/decide", {method: "POST", mode: "no-cors",
                  headers: {"Content-Type": "text/plain"}, body: '{"decision":"approve"}'}).then(r => "sent " + r.type));
              await attempt("jsonEvent", () => fetch(T + "/events", {method: "POST",
                  headers: {"Content-Type": "application/json"}, body: '{"session_id":"evil"}'}).then(r => "status " + r.status));
              await attempt("noCorsEvent", () => fetch(T + "/events", {method: "POST", mode: "no-cors",
                  body: '{"session_id":"evil2"}'}).then(r => "sent " + r.type));
              await attempt("noCorsSettings", () => fetch(T + "/settings", {method: "POST", mode: "no-cors",
                  headers: {"Content-Type": "text/plain"}, body: '{"key":"terminal_app","value":"iterm"}'}).then(r => "sent " + r.type));
              await attempt("readSessions", () => fetch(T + "/sessions").then(r => r.text()));
              await attempt("websocket", () => new Promise(done => {
                const ws = new WebSocket(T.replace("http", "ws") + "/live");
                ws.onmessage = m => done("received " + m.data.slice(0, 40));
                ws.onerror = () => done("blocked: error");
                ws.onclose = e => done("blocked: closed " + e.code);
              }));
              document.getElementById("f").submit();
              await new Promise(r => setTimeout(r, 500)); // let the form post complete before reporting
              window.attackResults = results;
            })();
            </script></body></html>""";

    @Test
    void aPageOnAnotherOriginChangesNothing() throws Exception {
        assumeTrue(Browser.missing().isEmpty(), () -> Browser.missing().orElse(""));
        try (var server = TestServer.start(dir); var browser = Browser.start()) {
            var api = server.api();
            api.post("/approvals", obj("session_id", "victim", "tool_name", "Bash", "command", "rm -rf /"));
            var attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            var page = ATTACKS.replace("TARGET", server.url()).getBytes(StandardCharsets.UTF_8);
            attacker.createContext("/", ex -> {
                ex.getResponseHeaders().set("Content-Type", "text/html");
                ex.sendResponseHeaders(200, page.length);
                ex.getResponseBody().write(page);
                ex.close();
            });
            attacker.start();
            try {
                browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
                @SuppressWarnings("unchecked")
                var results = (Map<String, Object>) browser.waitUntil("the attack page finished", Duration.ofSeconds(20),
                        d -> browser.js("return window.attackResults || null;"));
                assertTrue(String.valueOf(results.get("readSessions")).startsWith("blocked"), "the API cannot be read: " + results);
                assertTrue(String.valueOf(results.get("websocket")).startsWith("blocked"), "no live stream: " + results);
                assertTrue(String.valueOf(results.get("jsonEvent")).startsWith("blocked"), "preflight refused: " + results);
            } finally {
                attacker.stop(0);
            }
            assertEquals("pending", api.get("/approvals?status=all").json().get(0).path("status").asText(), "not approved");
            assertEquals(404, api.get("/sessions/evil").status());
            assertEquals(404, api.get("/sessions/evil2").status());
            assertFalse(api.get("/settings").json().has("terminal_app"), "settings unchanged");
        }
    }

    @Test
    void dnsRebindingCannotReadOrWrite() throws Exception {
        assumeTrue(Browser.missing().isEmpty(), () -> Browser.missing().orElse(""));
        try (var server = TestServer.start(dir);
             // the attacker's name now resolves to our loopback address: its page shares our port
             var browser = Browser.start("--host-resolver-rules=MAP rebind.test 127.0.0.1")) {
            server.api().post("/events", obj("session_id", "secret-session", "prompt", "a secret prompt"));
            var origin = "http://rebind.test:" + server.port();
            browser.get(origin + "/health");
            var body = browser.driver().getPageSource();
            assertTrue(body.contains("unexpected Host"), "the page itself is refused: " + body);
            var read = (String) ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('/sessions').then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('error ' + e));");
            assertTrue(read.startsWith("403"), read);
            assertFalse(read.contains("secret-session"));
            var write = (String) ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('/events', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                            + " body: '{\"session_id\":\"rebound\"}'}).then(r => done('' + r.status)).catch(e => done('error ' + e));");
            assertEquals("403", write);
            assertEquals(404, server.api().get("/sessions/rebound").status());
        }
    }
}
