package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.e2e.ControlE2ESteps.*;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.e2e.FakeAnthropicApi.Script;
import watchtower.e2e.FakeAnthropicApi.Turn;
import watchtower.install.HooksInstaller;
import watchtower.testing.Api;
import watchtower.testing.Repo;
import watchtower.testing.TestServer;

/**
 * Watchtower's control plane against the real Claude Code 2.1.330, each session in tmux as
 * {@code uvs_<id>} on a private socket the server shares, in a temp git project, with a fake
 * Messages API scripting the turn. Each test checks what really happened: whether the tool's
 * file exists, the approval's status, the events stored, what the API was sent back, the pane,
 * the files written. Sessions with the personas' http hooks are answered through the held hook;
 * a session with the reference's bash hooks only by keys. Spawn and fork start stub agents,
 * which record their argument list, folder and environment. Skipped, with the reason, where
 * Claude Code or tmux is not installed.
 */
class ControlE2ETest {
    /** Keys sent within 0.25 s of a session's first prompt can be lost (CLAUDE-CODE.md §2); a person waits. */
    static final Duration KEY_DEBOUNCE = Duration.ofMillis(1000);
    static final String STUB = """
            #!/usr/bin/env bash
            out="$(dirname "$0")/runs/$UVS_SESSION_ID"
            mkdir -p "$out"
            printf '%s\\0' "$0" "$@" > "$out/argv.tmp"
            pwd > "$out/cwd"
            printf '%s\\n' "$UVS_SESSION_ID" "$UVS_IN_TMUX" "$UVS_WATCHTOWER_URL" > "$out/env"
            mv "$out/argv.tmp" "$out/argv"
            exec sleep 60
            """;

    @TempDir
    static Path shared;
    static TmuxServer tmux;
    static TestServer server;
    static Path stubs;

    @TempDir
    Path dir;
    Path bin;
    Path home;
    Path project;
    String sid;
    FakeAnthropicApi api;
    UvsClaude claude;
    TestServer bashHookServer;

    @BeforeAll
    static void startSharedServer() throws Exception {
        Assumptions.assumeTrue(UvsClaude.binary().isPresent(), "Claude Code " + UvsClaude.VERSION + " is not installed:"
                + " run .ci/npm-tools.sh (installs it into ~/.cache/uvs-ci) or set WATCHTOWER_CLAUDE_BIN");
        Assumptions.assumeTrue(ClaudeCode.onPath("tmux"), "tmux is not installed");
        Assumptions.assumeTrue(ClaudeCode.onPath("git"), "git is not installed");
        tmux = new TmuxServer();
        stubs = Files.createDirectories(shared.resolve("stubs"));
        server = startServer(shared.resolve("server"), Map.of("watchtower.claude.bin", stub("claude").toString(),
                "watchtower.codex.bin", stub("codex").toString()));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
        if (tmux != null) tmux.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        bin = UvsClaude.binary().orElseThrow();
        home = Files.createDirectories(dir.resolve("home"));
        project = gitProject(dir.resolve("project"));
        sid = "e2e-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    }

    @AfterEach
    void tearDown() {
        if (claude != null) claude.close();
        tmux.close(); // every session of this test (forks and spawns too); the next test starts the server again
        if (api != null) api.close();
        if (bashHookServer != null) bashHookServer.close();
    }

    // --- approvals through the held http hook ---

    @Test
    void anApprovalFromTheApiRunsTheTool() throws Exception {
        var made = project.resolve("approved-file");
        startHttpSession(Script.bashThenText("touch " + made, "done"));

        claude.prompt("please create the file");
        var approval = awaitPendingApproval(server);
        assertEquals("touch " + made, approval.path("command").asText());
        claude.awaitPermissionPrompt("touch " + made, TURN);
        assertFalse(Files.exists(made), "the tool waits for the decision");

        var reply = decide(server, approval, "approve", null);
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().path("actuated").asBoolean(), "the held hook carried the answer: " + reply.body());

        awaitFile(made);
        assertEquals("approved", approvalStatus(server, approval));
        awaitEvents(server, types -> types.contains("PostToolUse") && types.contains("Stop"), "PostToolUse and Stop");
        var results = api.toolResults();
        assertEquals(1, results.size(), results.toString());
        assertFalse(results.get(0).path("is_error").asBoolean(false), results.get(0).toString());
    }

    @Test
    void aDenialFromTheApiKeepsTheToolFromRunningAndTellsTheModelWhy() throws Exception {
        var made = project.resolve("denied-file");
        startHttpSession(Script.bashThenText("touch " + made, "understood"));

        claude.prompt("please create the file");
        var approval = awaitPendingApproval(server);
        var reply = decide(server, approval, "deny", "Not this one, says the e2e test");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().path("actuated").asBoolean(), reply.body());

        var exchanges = api.await(x -> !lastToolResults(x).isEmpty(), TURN, "a tool_result");
        var result = lastToolResults(exchanges).get(0);
        assertTrue(result.path("is_error").asBoolean(false), "the denial is an error result: " + result);
        assertTrue(FakeAnthropicApi.text(result).contains("Not this one, says the e2e test"), result.toString());
        awaitEvents(server, types -> types.contains("Stop"), "Stop");
        assertFalse(Files.exists(made), "the denied command did not run");
        assertFalse(types(events(server)).contains("PostToolUse"), "no tool ran");
        assertEquals("denied", approvalStatus(server, approval));
    }

    // --- the terminal answers first ---

    @Test
    void whenTheTerminalAnswersFirstTheApprovalIsResolvedAndALateDecisionIsRefused() throws Exception {
        var made = project.resolve("answered-in-terminal");
        startHttpSession(Script.bashThenText("touch " + made, "done"));

        claude.prompt("please create the file");
        var approval = awaitPendingApproval(server);
        claude.awaitPermissionPrompt("touch " + made, TURN);
        pressInTerminal("1");

        awaitFile(made);
        awaitApprovalStatus(server, approval, "resolved"); // closed by the PostToolUse that followed
        assertTrue(types(events(server)).contains("PostToolUse"), types(events(server)).toString());
        var late = decide(server, approval, "deny", null);
        assertEquals(409, late.status(), "a decision on an answered prompt: " + late.body());
        assertEquals("resolved", approvalStatus(server, approval), "the late decision changed nothing");
    }

    @Test
    void anEscapeInTheTerminalIsClearedByTheNextEvent() throws Exception {
        var made = project.resolve("escaped-file");
        startHttpSession(Script.bashThenText("touch " + made, "fine, I stopped"));

        claude.prompt("please create the file");
        var approval = awaitPendingApproval(server);
        claude.awaitPermissionPrompt("touch " + made, TURN);
        pressInTerminal("Escape");
        claude.awaitScreen(s -> s.contains("Interrupted"), TURN, "the interrupted call");

        claude.prompt("never mind");
        var status = awaitApprovalStatus(server, approval, s -> s.equals("resolved") || s.equals("expired"));
        assertTrue(status.equals("resolved") || status.equals("expired"), status);
        var exchanges = api.await(x -> !lastToolResults(x).isEmpty(), TURN, "the rejected tool_result");
        var result = lastToolResults(exchanges).get(0);
        assertTrue(result.path("is_error").asBoolean(false), result.toString());
        assertTrue(FakeAnthropicApi.text(result).contains("doesn't want to proceed"), result.toString());
        assertFalse(Files.exists(made), "the escaped command did not run");
        assertFalse(types(events(server)).contains("PostToolUse"), "no tool ran");
    }

    // --- keys: the reference's bash hooks, no hook to answer through ---

    /*
     * KNOWN SERVER BUG (src/watchtower/control/PermissionWidget + Keystrokes), fails in most runs:
     * the widget snapshot includes the 12 lines above "Do you want to proceed?", and one of them is the
     * pending tool call's line, whose "●" bullet blinks (on/off every few hundred ms in 2.1.330). When it
     * toggles during the 0.5 s settle, Keystrokes.answer sees a "different" widget, sends no key and
     * answers actuated:false (POST /approvals/{id}/decide -> 200 {"status":"approved","actuated":false},
     * prompt still on screen, tool never runs); when it toggles after the keys, a swallowed key would be
     * reported as landed. Expected: actuated true and the tool runs. Fix: compare only the widget box (from
     * the "───" rule above the question to the footer), or drop the status glyphs before comparing.
     */
    @Test
    void theReferenceHooksSessionIsApprovedByKeysEvenWhenDecidedTheMomentThePromptAppears() throws Exception {
        Assumptions.assumeTrue(ClaudeCode.onPath("curl") && ClaudeCode.onPath("jq"), "the reference hooks need curl and jq");
        var made = project.resolve("approved-by-keys");
        bashHookServer = startServer(dir.resolve("bash-hook-server"), Map.of()); // tokenless_ingest at its default
        var anonymous = new Api(bashHookServer.url(), null);
        api = FakeAnthropicApi.start(Script.bashThenText("touch " + made, "done"));
        var settings = referenceHooks(project);
        var registered = anonymous.post("/sessions/register", obj("id", sid, "tmux_target", UvsClaude.target(sid),
                "cwd", project.toString()));
        assertEquals(200, registered.status(), registered.body());
        warmUpApprovals(bashHookServer, anonymous);
        claude = UvsClaude.start(tmux, sid, bin, home, project, api.url(),
                Map.of("UVS_SESSION_ID", sid, "UVS_WATCHTOWER_URL", bashHookServer.url()),
                List.of("--settings", settings.toString()));

        claude.prompt("please create the file");
        // The first prompt of the session, decided the moment it shows. Under load the bash notify hook can
        // take longer than the 0.25 s this race is about, so the test opens the approval itself, as that hook
        // does (POST /approvals with the PermissionRequest payload, no token); the hook's own request then
        // refreshes it, or opens one for the same prompt that the next event resolves.
        var command = "touch " + made;
        long deadline = System.nanoTime() + TURN.toNanos();
        while (!UvsClaude.promptShown(claude.screen())) {
            assertTrue(System.nanoTime() < deadline, "no permission prompt:\n" + claude.screen());
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long shown = System.nanoTime();
        var request = JSON.createObjectNode().put("hook_event_name", "PermissionRequest").put("tool_name", "Bash");
        request.putObject("tool_input").put("command", command).put("description", "Probe command");
        var opened = anonymous.post("/approvals", obj("session_id", sid, "tool_name", "Bash", "command", command,
                "request", request));
        assertEquals(200, opened.status(), opened.body());
        var approval = opened.json();
        long decidedAt = System.nanoTime();
        var reply = decide(bashHookServer, approval, "approve", null);
        long took = System.nanoTime() - decidedAt;
        assertTrue(decidedAt - shown <= TimeUnit.MILLISECONDS.toNanos(250),
                "decided " + (decidedAt - shown) / 1_000_000 + " ms after the prompt showed: not the race");

        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().path("actuated").asBoolean(), "the keys landed and were confirmed: " + reply.body()
                + "\n" + claude.screen());
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(500), "the server let the prompt settle first (took "
                + took / 1_000_000 + " ms)");
        awaitFile(made);
        assertEquals("approved", approvalStatus(bashHookServer, approval));
        assertFalse(UvsClaude.promptShown(claude.screen()), "the prompt left the pane");
        var events = awaitEvents(bashHookServer, types -> types.contains("PostToolUse"), "PostToolUse from watchtower-send.sh");
        // the reference hooks post in the background (curl ... &), so PreToolUse and PermissionRequest,
        // fired 0.1-0.3 s apart, may arrive either way round; the tool's result comes after both
        var types = types(events);
        assertInOrder(types, "UserPromptSubmit", "PreToolUse", "PostToolUse");
        assertInOrder(types, "UserPromptSubmit", "PermissionRequest", "PostToolUse");
    }

    // --- compact, close ---

    @Test
    void compactRunsTheClientsCompactionWithItsHooks() throws Exception {
        var summary = "the e2e session said hello";
        startHttpSession(request -> lastUserText(request).contains("create a detailed summary")
                ? Turn.text("<analysis>short</analysis>\n<summary>" + summary + "</summary>")
                : Turn.text("hello"));
        claude.prompt("say hello");
        awaitEvents(server, types -> types.contains("Stop"), "the first turn's Stop");

        var reply = server.api().post("/sessions/" + sid + "/compact", obj());
        assertEquals(200, reply.status(), reply.body());

        var events = awaitEvents(server, types -> types.contains("PostCompact"), "PreCompact and PostCompact");
        assertInOrder(types(events), "Stop", "PreCompact", "PostCompact");
        var post = events.stream().filter(e -> e.path("event_type").asText().equals("PostCompact")).findFirst().orElseThrow();
        assertTrue(post.path("payload").path("compact_summary").asText().contains(summary), post.toString());
        assertTrue(api.messages().stream().anyMatch(e -> lastUserText(e.body()).contains("create a detailed summary")),
                "the client sent its compaction request");
    }

    @Test
    void closeEndsTheSessionAndWritesACheckpointOfWhatHappened() throws Exception {
        var notes = project.resolve("notes.txt");
        startHttpSession(request -> {
            if (!FakeAnthropicApi.lastToolResults(request).isEmpty()) return Turn.text("written");
            if (!FakeAnthropicApi.toolNames(request).contains("Write")) return Turn.text("Probe session");
            var block = JSON.createObjectNode().put("type", "tool_use").put("name", "Write");
            block.putObject("input").put("file_path", notes.toString()).put("content", "remember the milk\n");
            return new Turn(List.of(block), "tool_use");
        });
        claude.prompt("write the notes");
        var approval = awaitPendingApproval(server);
        assertEquals(200, decide(server, approval, "approve", null).status());
        awaitFile(notes);
        awaitEvents(server, types -> types.contains("Stop"), "Stop");

        var reply = server.api().post("/sessions/" + sid + "/close", obj());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("tmux", reply.json().path("terminated_via").asText(), reply.body());
        assertFalse(tmux.has(UvsClaude.target(sid)), "the tmux session is gone");
        awaitEvents(server, types -> types.contains("SessionEnd"), "SessionEnd from the killed client");
        assertEquals("terminated", server.api().get("/sessions/" + sid).json().path("state").asText());

        var checkpoint = Path.of(reply.json().path("checkpoint").asText());
        assertTrue(checkpoint.startsWith(project.resolve("uv-out/sessions/" + sid + "/checkpoints")), checkpoint.toString());
        var text = Files.readString(checkpoint, UTF_8);
        assertEquals(text, Files.readString(checkpoint.resolveSibling("latest.md"), UTF_8));
        assertTrue(text.contains("**Asked (1):**\n- write the notes"), text);
        assertTrue(text.contains("**Files changed:**\n- `" + notes + "` (1×)"), text);
        assertTrue(text.contains("- Branch: `main`"), text);
        assertTrue(text.contains("?? notes.txt"), text);
        assertTrue(text.contains("initial commit"), text);
    }

    // --- fork and spawn: stub agents record how they were started ---

    @Test
    void forkStartsTheChildInTheParentsFolderWithItsPersonaAndParent() throws Exception {
        var parent = sid;
        var personas = Files.createDirectories(project.resolve(".claude/personas"));
        var settings = personas.resolve("spike.json");
        Files.writeString(settings, HooksInstaller.personaFor(Repo.root().resolve("personas/spike.json"), server.url()));
        var registered = server.api().post("/sessions/register", obj("id", parent, "name", "parent", "persona", "spike",
                "cwd", project.toString()));
        assertEquals(200, registered.status(), registered.body());

        var reply = server.api().post("/sessions/" + parent + "/fork?open=false", obj());
        assertEquals(200, reply.status(), reply.body());
        var child = reply.json().path("id").asText();
        assertEquals(parent, reply.json().path("parent_id").asText());
        assertTrue(tmux.has("uvs_" + child), "the child runs in tmux: " + tmux.sessions());

        assertEquals(List.of(stubs.resolve("claude").toString(), "--settings", settings.toString()), argv(child),
                "spike's settings choose the permission mode themselves");
        assertEquals(project.toString(), read(child, "cwd"));
        assertEquals(List.of(child, "1", server.url()), Arrays.asList(read(child, "env").split("\n")));
        var row = server.api().get("/sessions/" + child).json();
        assertEquals(parent, row.path("parent_id").asText());
        assertEquals("spike", row.path("persona").asText());
        assertEquals(project.toString(), row.path("cwd").asText());
        assertEquals("uvs_" + child, row.path("tmux_target").asText());
        assertEquals("parent (fork)", row.path("name").asText());
        var meta = JSON.readTree(project.resolve(".uv-suite-state/sessions/" + child + ".json").toFile());
        assertEquals(parent, meta.path("parent_id").asText(), "the child's hooks find their parent: " + meta);
    }

    @Test
    void spawnStartsClaudeAndCodexWithTheirPersonasFlagsAndTheTask() throws Exception {
        var claudeReply = server.api().post("/sessions/spawn", obj("tool", "claude", "persona", "sport",
                "cwd", project.toString(), "task", "build the parser; then test it"));
        assertEquals(200, claudeReply.status(), claudeReply.body());
        var claudeId = claudeReply.json().path("id").asText();
        var codexReply = server.api().post("/sessions/spawn", obj("tool", "codex", "persona", "auto",
                "cwd", project.toString(), "task", "fix the build"));
        assertEquals(200, codexReply.status(), codexReply.body());
        var codexId = codexReply.json().path("id").asText();

        assertEquals(List.of(stubs.resolve("claude").toString(), "--permission-mode", "manual",
                "build the parser; then test it"), argv(claudeId), "no persona file in the project: manual mode asked");
        assertEquals(List.of(stubs.resolve("codex").toString(), "--approval-mode", "full-auto", "fix the build"),
                argv(codexId));
        for (var id : List.of(claudeId, codexId)) {
            assertEquals(project.toString(), read(id, "cwd"));
            assertTrue(tmux.has("uvs_" + id), id + " runs in tmux: " + tmux.sessions());
        }
        assertEquals("codex", server.api().get("/sessions/" + codexId).json().path("agent").asText());
        assertEquals("claude", server.api().get("/sessions/" + claudeId).json().path("agent").asText());
    }

    // --- infra ---

    /** A server on the shared tmux socket; {@code properties} (the agents' programs) are read once, at its start. */
    static TestServer startServer(Path dir, Map<String, String> properties) throws Exception {
        var all = new java.util.HashMap<>(properties);
        all.put("watchtower.tmux.socket", tmux.socket());
        all.forEach(System::setProperty);
        try {
            return TestServer.start(dir);
        } finally {
            all.keySet().forEach(System::clearProperty);
        }
    }

    static Path stub(String name) throws Exception {
        var file = stubs.resolve(name);
        Files.writeString(file, STUB);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** What a stub recorded: its argv, as written once it had started. */
    static List<String> argv(String id) throws Exception {
        var file = stubs.resolve("runs").resolve(id).resolve("argv");
        poll(() -> Files.exists(file) ? file : null, "the stub agent of " + id + " to start");
        var raw = Files.readString(file, UTF_8);
        return List.of(raw.substring(0, raw.length() - 1).split("\0", -1));
    }

    static String read(String id, String what) throws Exception {
        return Files.readString(stubs.resolve("runs").resolve(id).resolve(what), UTF_8).strip();
    }

    /** The professional persona pointed at the shared server, the install token in the client's environment. */
    void startHttpSession(Script script) throws Exception {
        api = FakeAnthropicApi.start(script);
        var settings = dir.resolve("professional.json");
        Files.writeString(settings, HooksInstaller.personaFor(Repo.root().resolve("personas/professional.json"), server.url()));
        var registered = server.api().post("/sessions/register", obj("id", sid, "persona", "professional",
                "cwd", project.toString(), "tmux_target", UvsClaude.target(sid)));
        assertEquals(200, registered.status(), registered.body());
        claude = UvsClaude.start(tmux, sid, bin, home, project, api.url(),
                Map.of("UVS_SESSION_ID", sid, "UVS_TOKEN", server.token()),
                List.of("--settings", settings.toString(), "--permission-mode", "manual"));
    }

    /**
     * Opens and decides one approval of another session, so the approval path has run once
     * (classes loaded, statements prepared) before the timed decision.
     */
    static void warmUpApprovals(TestServer on, Api anonymous) {
        var opened = anonymous.post("/approvals", obj("session_id", "warm-up", "tool_name", "Bash", "command", "true"));
        assertEquals(200, opened.status(), opened.body());
        assertEquals(200, decide(on, opened.json(), "deny", null).status());
    }

    /** Sends a key to the prompt on screen as a person would (after the debounce), again only while it stays. */
    void pressInTerminal(String key) throws InterruptedException {
        // not a wait for a condition: keys sent right after the first prompt appears can be dropped by the client
        TimeUnit.MILLISECONDS.sleep(KEY_DEBOUNCE.toMillis());
        for (int attempt = 0; attempt < 3; attempt++) {
            claude.sendKeys(key);
            try {
                claude.awaitScreen(s -> !UvsClaude.promptShown(s), Duration.ofSeconds(5), "the prompt leaving");
                return;
            } catch (AssertionError stillShown) {
                // the key was swallowed: the prompt is still there, so sending again is safe
            }
        }
        throw new AssertionError("the permission prompt stayed after three '" + key + "':\n" + claude.screen());
    }

    JsonNode pendingApproval(TestServer on) {
        for (var a : on.api().getWithoutToken("/approvals?status=pending").json()) {
            if (sid.equals(a.path("session_id").asText())) return a;
        }
        return null;
    }

    JsonNode awaitPendingApproval(TestServer on) throws InterruptedException {
        return poll(() -> pendingApproval(on), "a pending approval for " + sid);
    }

    /** The session's events, oldest first. */
    List<JsonNode> events(TestServer on) {
        var reply = on.api().getWithoutToken("/sessions/" + sid + "/events?limit=1000");
        if (reply.status() == 404) return List.of();
        assertEquals(200, reply.status(), reply.body());
        var out = new ArrayList<JsonNode>();
        reply.json().forEach(out::add);
        Collections.reverse(out);
        return out;
    }

    List<JsonNode> awaitEvents(TestServer on, Predicate<List<String>> condition, String what) throws InterruptedException {
        return poll(() -> {
            var events = events(on);
            return condition.test(types(events)) ? events : null;
        }, "events up to " + what + " (have " + types(events(on)) + ")");
    }

    void awaitFile(Path file) throws InterruptedException {
        poll(() -> Files.exists(file) ? file : null, file + " to be created by the tool");
    }

}
