package watchtower.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.PrivateTmux;
import watchtower.testing.TestServer;

/** Every control endpoint's error paths: no token 401, unknown or malformed id 404, bad bodies 400/415/422. */
class ControlErrorsTest {
    record Endpoint(String method, String path, String body) {}

    static final List<Endpoint> PER_SESSION = List.of(
            new Endpoint("POST", "/sessions/%s/checkpoint", "{}"),
            new Endpoint("POST", "/sessions/%s/close", "{}"),
            new Endpoint("POST", "/sessions/%s/compact", "{}"),
            new Endpoint("POST", "/sessions/%s/input", "{\"text\":\"hi\"}"),
            new Endpoint("POST", "/sessions/%s/fork", "{}"),
            new Endpoint("DELETE", "/sessions/%s", null),
            new Endpoint("GET", "/sessions/%s/export", null));

    @TempDir
    Path dir;
    final PrivateTmux tmux = new PrivateTmux();
    TestServer server;
    Api api;

    @BeforeEach
    void start() throws Exception {
        tmux.install();
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
        api.post("/sessions/register", obj("id", "known", "cwd", dir.toString()));
    }

    @AfterEach
    void stop() {
        server.close();
        tmux.close();
    }

    @Test
    void withoutTheTokenEveryControlEndpointIs401AndActsOnNothing() {
        var all = new java.util.ArrayList<>(PER_SESSION);
        all.add(new Endpoint("POST", "/sessions/cleanup", "{}"));
        all.add(new Endpoint("POST", "/sessions/spawn", "{\"cwd\":\"" + dir + "\"}"));
        for (var e : all) {
            var reply = send(e, "known", false);
            assertEquals(401, reply.status(), e + ": " + reply.body());
            assertFalse(reply.detail().isBlank());
        }
        assertEquals(200, api.get("/sessions/known").status(), "still there");
        assertFalse(dir.resolve("uv-out").toFile().exists(), "no checkpoint written");
    }

    @Test
    void unknownAndMalformedSessionIdsAre404() {
        for (var e : PER_SESSION) {
            for (var id : List.of("nobody", "..%2F..%2Fetc", "a%20b", "%2e%2e")) {
                var reply = send(e, id, true);
                assertEquals(404, reply.status(), e.method() + " " + e.path().formatted(id) + ": " + reply.body());
                assertTrue(reply.detail().contains("not found"), reply.detail());
            }
        }
    }

    @Test
    void badBodiesAreRefusedWithTheirOwnStatus() {
        assertEquals(400, api.postRaw("/sessions/known/input", "{\"text\":", "application/json", true).status());
        assertEquals(400, api.postRaw("/sessions/known/input", "[1,2]", "application/json", true).status());
        assertEquals(415, api.postRaw("/sessions/known/input", "text=hi", "application/x-www-form-urlencoded", true).status());
        assertEquals(422, api.post("/sessions/known/input", obj("text", List.of("a"))).status());
        assertEquals(400, api.postRaw("/sessions/spawn", "", "application/json", true).status());
        assertEquals(415, api.postRaw("/sessions/spawn", "{}", "text/plain", true).status());
        assertEquals(422, api.post("/sessions/spawn", obj("tool", "claude", "persona", "nope")).status());
    }

    @Test
    void wrongMethodsAre405() {
        var reply = api.get("/sessions/known/close");
        assertEquals(405, reply.status());
        assertTrue(reply.headers().firstValue("Allow").orElse("").contains("POST"));
        assertEquals(405, api.post("/sessions/known/export", obj()).status());
    }

    @Test
    void aForeignOriginCannotActEvenWithTheToken() {
        var reply = api.send(api.builder("/sessions/known/close", true).header("Content-Type", "application/json")
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(403, reply.status(), reply.body());
        assertEquals("active", api.get("/sessions/known").json().path("state").asText());
    }

    // --- infra ---

    private Api.Reply send(Endpoint e, String id, boolean withToken) {
        var b = api.builder(e.path().formatted(id), withToken);
        if (e.body() != null) {
            b.header("Content-Type", "application/json").method(e.method(), HttpRequest.BodyPublishers.ofString(e.body()));
        } else {
            b.method(e.method(), HttpRequest.BodyPublishers.noBody());
        }
        return api.send(b.build());
    }
}
