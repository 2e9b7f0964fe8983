package watchtower.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Config;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * What the reference server allows and ours refuses, over plain HTTP: DNS rebinding, cross-site
 * writes, missing or wrong install tokens, unsafe token files. Each refusal changes nothing.
 */
class HttpSecurityTest {
    @TempDir
    Path dir;
    TestServer server;
    Api api;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        api = server.api();
        // as the reference bash hooks post: without the token (which keeps tokenless ingest open)
        api.postRaw("/events", Api.write(obj("session_id", "s1", "event_type", "SessionStart")), "application/json", false);
        api.postRaw("/approvals", Api.write(obj("session_id", "s1", "tool_name", "Bash", "command", "rm -rf build")),
                "application/json", false);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aForeignHostHeaderIsRefused() throws Exception {
        // what a browser sends after DNS rebinding evil.example to 127.0.0.1
        var reply = raw("GET /sessions HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
        var write = raw(post("/approvals/1/decide", "{\"decision\":\"approve\"}", "evil.example:" + server.port(), null, server.token()));
        assertTrue(write.startsWith("HTTP/1.1 403"), write);
        assertPending();
    }

    @Test
    void aWriteFromAnotherOriginIsRefused() throws Exception {
        var reply = raw(post("/approvals/1/decide", "{\"decision\":\"approve\"}", host(), "https://evil.example", server.token()));
        assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
        var nullOrigin = raw(post("/events", "{\"session_id\":\"x\"}", host(), "null", null));
        assertTrue(nullOrigin.startsWith("HTTP/1.1 403"), nullOrigin);
        assertPending();
        assertEquals(404, api.get("/sessions/x").status(), "the cross-origin event was not stored");
    }

    @Test
    void ourOwnOriginMayWrite() {
        var reply = api.send(api.builder("/events", false).header("Content-Type", "application/json")
                .header("Origin", "http://localhost:" + server.port())
                .POST(HttpRequest.BodyPublishers.ofString("{\"session_id\":\"mine\"}")).build());
        assertEquals(200, reply.status(), reply.body());
    }

    @Test
    void aCrossSiteFormPostIsRefusedByItsContentType() {
        // <form enctype="text/plain"> and fetch(..., {mode: "no-cors"}) can only send simple content types
        for (var type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            var reply = api.postRaw("/approvals/1/decide", "{\"decision\":\"approve\"}", type, true);
            assertEquals(415, reply.status(), type);
        }
        assertEquals(415, api.postRaw("/events", "{\"session_id\":\"y\"}", null, false).status());
        assertPending();
    }

    @Test
    void secFetchSiteCrossSiteIsRefused() throws Exception {
        var req = "POST /events HTTP/1.1\r\nHost: " + host() + "\r\nContent-Type: application/json\r\n"
                + "Sec-Fetch-Site: cross-site\r\nContent-Length: 19\r\nConnection: close\r\n\r\n{\"session_id\":\"zz\"}";
        assertTrue(raw(req).startsWith("HTTP/1.1 403"));
    }

    @Test
    void controlNeedsTheTokenInAnyOfItsForms() {
        var noToken = api.send(api.builder("/approvals/1/decide", false).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approve\"}")).build());
        assertEquals(401, noToken.status());
        var wrong = api.send(api.builder("/approvals/1/decide", false).header("Content-Type", "application/json")
                .header("X-UVS-Token", "0".repeat(64)).POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approve\"}")).build());
        assertEquals(401, wrong.status());
        assertPending();
        var bearer = api.send(api.builder("/settings", false).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + server.token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"terminal_app\",\"value\":\"iterm\"}")).build());
        assertEquals(200, bearer.status(), bearer.body());
        var cookie = api.send(api.builder("/approvals/1/decide", false).header("Content-Type", "application/json")
                .header("Cookie", "other=1; uvs_token=" + server.token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"deny\"}")).build());
        assertEquals(200, cookie.status(), cookie.body());
    }

    @Test
    void authSessionSetsAStrictHttpOnlyCookieOnlyForTheTokenHolder() {
        var refused = api.postRaw("/auth/session", "{}", "application/json", false);
        assertEquals(401, refused.status());
        assertTrue(refused.headers().firstValue("Set-Cookie").isEmpty());
        var ok = api.postRaw("/auth/session", "{}", "application/json", true);
        var cookie = ok.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), cookie);
    }

    @Test
    void tokenlessIngestIsOpenUntilAHookPresentsTheTokenThenClosed() {
        assertEquals(200, api.postRaw("/events", "{\"session_id\":\"bash-hook\"}", "application/json", false).status());
        assertEquals(200, api.post("/events", obj("session_id", "wthook")).status(), "a hook with the token");
        var after = api.postRaw("/events", "{\"session_id\":\"bash-hook\"}", "application/json", false);
        assertEquals(401, after.status(), "once hooks send the token, ingest requires it");
        api.post("/settings", obj("key", "tokenless_ingest", "value", "allow"));
        assertEquals(200, eventuallyStatus("{\"session_id\":\"bash-hook\"}", 200), "the setting keeps bash hooks working");
    }

    @Test
    void aWrongTokenOnIngestIsRefusedEvenWhileTokenlessIngestIsOpen() {
        var reply = api.send(api.builder("/events", false).header("Content-Type", "application/json")
                .header("X-UVS-Token", "nope").POST(HttpRequest.BodyPublishers.ofString("{\"session_id\":\"w\"}")).build());
        assertEquals(401, reply.status());
    }

    @Test
    void pagesCarryTheSecurityHeaders() {
        for (var path : new String[] {"/", "/health", "/sessions", "/static/reference/dashboard.html"}) {
            var reply = api.get(path);
            var headers = reply.headers();
            assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(""), path);
            var csp = headers.firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
            assertTrue(csp.contains("default-src 'self'"), path);
        }
        assertFalse(api.get("/").body().contains(server.token()), "the page never contains the secret");
    }

    @Test
    void beyondLoopbackEveryReadNeedsTheToken(@TempDir Path other) throws Exception {
        try (var open = TestServer.start(Config.forTests(other).withHost("0.0.0.0"))) {
            var local = new Api("http://127.0.0.1:" + open.port(), open.token());
            assertEquals(401, local.getWithoutToken("/sessions").status());
            assertEquals(200, local.get("/sessions").status());
            assertEquals(401, local.postRaw("/events", "{\"session_id\":\"r\"}", "application/json", false).status());
            assertEquals(200, local.getWithoutToken("/health").status(), "health stays open for probes");
        }
    }

    @Test
    void aTokenFileOthersCanReadIsRefused(@TempDir Path other) throws Exception {
        var data = Files.createDirectories(other.resolve("uvs"));
        var token = data.resolve("token");
        Files.writeString(token, "a".repeat(64));
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        var error = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> TestServer.start(Config.forTests(other)));
        assertTrue(error.getMessage().contains("chmod 600"), error.getMessage());
    }

    @Test
    void theTokenFileIsCreatedOwnerOnly() throws Exception {
        var perms = Files.getPosixFilePermissions(dir.resolve("uvs").resolve("token"));
        assertEquals("rw-------", PosixFilePermissions.toString(perms));
    }

    // --- infra ---

    private String host() {
        return "127.0.0.1:" + server.port();
    }

    private void assertPending() {
        var approval = api.get("/approvals?status=all").json().get(0);
        assertEquals("pending", approval.path("status").asText(), "the refused request changed nothing");
    }

    private int eventuallyStatus(String body, int want) {
        long deadline = System.nanoTime() + 3_000_000_000L; // the guard re-reads settings at most once a second
        int last;
        do {
            last = api.postRaw("/events", body, "application/json", false).status();
            if (last == want) return last;
            try {
                Thread.sleep(100); // polling a condition with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } while (System.nanoTime() < deadline);
        return last;
    }

    private static String post(String path, String body, String host, String origin, String token) {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + (origin != null ? "Origin: " + origin + "\r\n" : "") + (token != null ? "X-UVS-Token: " + token + "\r\n" : "")
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body;
    }

    private String raw(String request) throws Exception {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
