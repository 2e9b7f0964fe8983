package watchtower.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.Repo;
import watchtower.testing.TestServer;

/** POST /hooks/claude with the real client's payloads and headers. */
class ClaudeHookApiTest {
    @TempDir
    Path dir;
    TestServer server;
    Api api;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        api = server.api();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void eventsAreStoredUnderTheWatchtowerSessionWithTheLaunchersMetadata() throws Exception {
        var project = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(project.resolve(".uv-suite-state/sessions"));
        Files.writeString(project.resolve(".uv-suite-state/sessions/wt-1.json"),
                "{\"uvs_session_id\":\"wt-1\",\"name\":\"Refactor\",\"kind\":\"feature\",\"priority\":\"high\",\"persona\":\"professional\"}");
        var payload = fixture("PreToolUse--Bash.json");
        payload.put("cwd", project.toString());
        var reply = hook(payload, "wt-1", "%3");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("{}", reply.body(), "an empty object: no decision, Claude Code carries on");

        var session = eventually(() -> api.get("/sessions/wt-1"), r -> r.status() == 200 && r.json().path("tool_calls").asInt() == 1);
        assertEquals("Refactor", session.path("name").asText());
        assertEquals("professional", session.path("persona").asText());
        assertEquals(payload.path("session_id").asText(), session.path("claude_session_id").asText());
        var event = api.get("/sessions/wt-1/events").json().get(0);
        assertEquals("PreToolUse", event.path("event_type").asText());
        assertEquals("Bash", event.path("tool_name").asText());
        assertEquals("project", event.path("payload").path("source_app").asText());
        assertEquals("%3", event.path("payload").path("tmux_pane").asText());
    }

    @Test
    void withoutTheSessionHeaderClaudesOwnSessionIdIsTheId() throws Exception {
        var payload = fixture("SessionStart--startup.json");
        assertEquals(200, hook(payload, "", null).status());
        var id = payload.path("session_id").asText();
        var session = eventually(() -> api.get("/sessions/" + id), r -> r.status() == 200);
        assertEquals(payload.path("model").asText(), session.path("model").asText());
    }

    @Test
    void permissionRequestIsHeldOpenUntilApprovedThenAnsweredWithAllow() throws Exception {
        var pending = CompletableFuture.supplyAsync(() -> hook(fixtureOrFail("PermissionRequest--http-hook-body.json"), "wt-2", null));
        var approval = eventually(() -> api.get("/approvals"), r -> r.json().size() == 1).get(0);
        assertEquals("Bash", approval.path("tool_name").asText());
        assertEquals("touch /tmp/demo-file-http", approval.path("command").asText());
        assertFalse(pending.isDone(), "the hook is still waiting for a person");

        var decided = api.post("/approvals/" + approval.path("id").asInt() + "/decide", obj("decision", "approve", "decided_by", "test"));
        assertEquals(200, decided.status(), decided.body());
        assertTrue(decided.json().path("actuated").asBoolean(), "delivered through the held hook");
        var answer = pending.get(5, TimeUnit.SECONDS);
        assertEquals("allow", answer.json().at("/hookSpecificOutput/decision/behavior").asText());
        assertEquals("PermissionRequest", answer.json().at("/hookSpecificOutput/hookEventName").asText());
    }

    @Test
    void denyCarriesThePersonsMessage() throws Exception {
        var pending = CompletableFuture.supplyAsync(() -> hook(fixtureOrFail("PermissionRequest--Bash.json"), "wt-3", null));
        var id = eventually(() -> api.get("/approvals"), r -> r.json().size() == 1).get(0).path("id").asInt();
        api.post("/approvals/" + id + "/decide", obj("decision", "deny", "message", "not on main"));
        var decision = pending.get(5, TimeUnit.SECONDS).json().at("/hookSpecificOutput/decision");
        assertEquals("deny", decision.path("behavior").asText());
        assertEquals("not on main", decision.path("message").asText());
    }

    @Test
    void terminalAnsweredFirstReleasesTheHookAndALateDecisionIs409() throws Exception {
        var pending = CompletableFuture.supplyAsync(() -> hook(fixtureOrFail("PermissionRequest--Bash.json"), "wt-4", null));
        var id = eventually(() -> api.get("/approvals"), r -> r.json().size() == 1).get(0).path("id").asInt();
        // the person pressed 1 in the terminal: the tool ran and PostToolUse arrives
        hook(fixture("PostToolUse--Bash.json"), "wt-4", null);
        assertEquals("{}", pending.get(5, TimeUnit.SECONDS).body(), "released without a decision");
        eventually(() -> api.get("/approvals?status=resolved"), r -> r.json().size() == 1);
        assertEquals(409, api.post("/approvals/" + id + "/decide", obj("decision", "approve")).status());
    }

    @Test
    void theLaterPermissionPromptNotificationDoesNotOpenASecondApproval() throws Exception {
        var pending = CompletableFuture.supplyAsync(() -> hook(fixtureOrFail("PermissionRequest--Bash.json"), "wt-5", null));
        eventually(() -> api.get("/approvals"), r -> r.json().size() == 1);
        assertEquals(200, hook(fixture("Notification--permission_prompt.json"), "wt-5", null).status());
        var session = eventually(() -> api.get("/sessions/wt-5"), r -> r.json().path("event_count").asInt() == 2);
        assertEquals("awaiting_human", session.path("state").asText());
        assertEquals(1, api.get("/approvals").json().size());
        hook(fixture("SessionEnd.json"), "wt-5", null);
        assertEquals("{}", pending.get(5, TimeUnit.SECONDS).body());
        assertEquals(1, eventually(() -> api.get("/approvals?status=expired"), r -> r.json().size() == 1).size());
    }

    @Test
    void idlePromptAndAgentNeedsInputAreDifferentStates() throws Exception {
        hook(fixture("Notification--idle_prompt.json"), "wt-6", null);
        var idle = eventually(() -> api.get("/sessions/wt-6"), r -> r.status() == 200 && "idle".equals(r.json().path("state").asText()));
        assertEquals("idle_prompt", idle.path("attention").asText());
        assertEquals(0, api.get("/approvals").json().size(), "waiting for input is not an approval");
        hook(fixture("Notification--agent_needs_input.json"), "wt-6", null);
        var needs = eventually(() -> api.get("/sessions/wt-6"), r -> "agent_needs_input".equals(r.json().path("attention").asText()));
        assertEquals("awaiting_human", needs.path("state").asText());
    }

    @Test
    void badInputIsRefusedWithADetail() {
        assertEquals(422, hook(obj("session_id", "x"), null, null).status(), "no hook_event_name");
        assertEquals(422, hook(obj("hook_event_name", "Stop"), null, null).status(), "no session id at all");
        assertEquals(422, hook(obj("hook_event_name", "Stop", "session_id", "x"), "../../etc", null).status());
        assertEquals(400, api.postRaw("/hooks/claude", "{", "application/json", true).status());
    }

    // --- infra ---

    private Api.Reply hook(Object payload, String sessionHeader, String pane) {
        var b = api.builder("/hooks/claude", true).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Api.write(payload)));
        if (sessionHeader != null) b.header("X-UVS-Session", sessionHeader);
        if (pane != null) b.header("X-Tmux-Pane", pane);
        return api.send(b.build());
    }

    private static ObjectNode fixtureOrFail(String name) {
        try {
            return fixture(name);
        } catch (Exception e) {
            throw new AssertionError("fixture " + name, e);
        }
    }

    private static ObjectNode fixture(String name) throws Exception {
        return (ObjectNode) Api.JSON.readTree(Repo.sharedFixtures().resolve(name).toFile());
    }

    private static JsonNode eventually(Supplier<Api.Reply> call, java.util.function.Predicate<Api.Reply> ok) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Api.Reply last;
        do {
            last = call.get();
            if (ok.test(last)) return last.json();
            Thread.sleep(20); // polling a condition with a deadline
        } while (System.nanoTime() < deadline);
        throw new AssertionError("condition not reached in 5 s; last reply " + last.status() + " " + last.body());
    }
}
