package watchtower.compat;

import watchtower.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/**
 * Every Claude Code hook payload recorded from the real client goes through the real reference
 * send hook (watchtower-send.sh EVENT) into our server: each is stored whole, with the fields the
 * hook splices in, its session's counters follow, and no payload breaks a later query.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixturePayloadsTest {
    TestServer server;
    Api api;
    BashHooks hooks;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        BashHooks.assumeToolsPresent();
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
        hooks = new BashHooks(server.url(), dir.resolve("project"), dir.resolve("work"));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    static List<Named<Path>> payloads() {
        var files = CompatFiles.payloadFiles();
        assertTrue(files.size() >= 40, "expected the recorded payloads, found " + files);
        return files.stream().map(f -> Named.of(f.getFileName().toString(), f)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void isStoredWholeThroughTheReferenceSendHook(Path file) {
        var fileName = file.getFileName().toString();
        var event = CompatFiles.eventName(file);
        var sid = "fx-" + fileName.replaceFirst("\\.json$", "");
        var metadata = obj("uvs_session_id", sid, "name", "fixture " + fileName, "kind", "fixture",
                "purpose", "replay " + event, "priority", "low", "persona", "auto");
        hooks.writeMetadata(sid, metadata);
        var input = CompatFiles.readObject(file);

        long before = System.currentTimeMillis();
        hooks.run("watchtower-send.sh", sid, input.toString(), event).assertQuietSuccess();
        var events = Eventually.until("the " + event + " event of " + sid, () -> eventsOf(sid), l -> !l.isEmpty());
        assertEquals(1, events.size(), events.toString());
        var stored = events.get(0);

        assertEquals(sid, stored.path("session_id").asText());
        assertEquals(event, stored.path("event_type").asText());
        assertEquals(input.hasNonNull("tool_name") ? input.get("tool_name") : NullNode.instance, stored.path("tool_name"),
                "tool_name column");
        assertTrue(stored.path("command").isNull(), "no top-level command in a Claude Code payload");

        var payload = (ObjectNode) stored.path("payload").deepCopy();
        var hookTs = payload.remove("_hook_ts");
        assertTrue(hookTs != null && hookTs.isNumber(), "the hook stamps _hook_ts (jq now): " + hookTs);
        assertTrue(Math.abs(hookTs.asDouble() * 1000 - before) < 60_000, "_hook_ts is about now: " + hookTs);
        var expected = HookBodies.spliced(input, event, sid, metadata);
        assertTrue(JsonCompare.same(expected, payload),
                "stored payload = input + spliced fields\nexpected: " + expected + "\nstored:   " + payload);

        var session = api.get("/sessions/" + sid).json();
        for (var key : List.of("name", "kind", "purpose", "priority", "persona")) {
            assertEquals(metadata.get(key), session.path(key).asText(), key);
        }
        var listed = StreamSupport.stream(api.get("/sessions").json().spliterator(), false)
                .filter(s -> s.path("id").asText().equals(sid)).findFirst()
                .orElseThrow(() -> new AssertionError(sid + " not in GET /sessions"));
        assertEquals(input.hasNonNull("tool_name") ? 1 : 0, listed.path("tool_calls").asInt(), listed.toString());
        assertEquals(stored.path("created_at"), listed.path("last_event_at"), listed.toString());

        var recent = api.get("/events?limit=1000").json();
        assertTrue(StreamSupport.stream(recent.spliterator(), false)
                        .anyMatch(e -> e.path("id").equals(stored.path("id")) && e.path("event_type").asText().equals(event)),
                "GET /events lists it");

        // nothing poisoned: every query still answers JSON with 200
        for (var path : List.of("/sessions", "/sessions/" + sid, "/sessions/" + sid + "/events",
                "/sessions/" + sid + "/artifacts", "/sessions/" + sid + "/checkpoints", "/events", "/events?limit=1000",
                "/events/search?q=" + event, "/approvals", "/approvals?status=all", "/approvals?status=resolved",
                "/settings", "/health")) {
            var r = api.get(path);
            assertEquals(200, r.status(), path + " after " + fileName + ": " + r.body());
            r.json();
        }
    }

    private List<JsonNode> eventsOf(String sid) {
        var r = api.get("/sessions/" + sid + "/events");
        if (r.status() != 200) return List.of();
        return StreamSupport.stream(r.json().spliterator(), false).toList();
    }
}
