package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.core.Config;
import watchtower.e2e.FakeAnthropicApi.Script;
import watchtower.install.HooksInstaller;
import watchtower.install.WtHookCommand;
import watchtower.testing.Repo;
import watchtower.testing.TestServer;

/**
 * The real Claude Code 2.1.330 against a real Watchtower: a fake Messages API scripts one
 * turn (a Bash tool call that creates a file, then a closing text), and each test checks
 * what really happened: the events Watchtower stored, the approval it held, whether the
 * file exists, what the API received back, and the tokens it counted. Skipped, with the
 * reason, where Claude Code or tmux is not installed (.ci/npm-tools.sh installs the client).
 */
class ClaudeCodeE2ETest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TURN = Duration.ofSeconds(60);
    /** After the turn's last hook, the server has had ample time to read the transcript. */
    static final Duration TOKENS = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Path bin;
    Path home;
    Path project;
    String sid;
    Tmux tmux;
    ClaudeCode claude;
    TestServer server;
    FakeAnthropicApi api;

    @BeforeEach
    void setUp() throws Exception {
        bin = ClaudeCode.requireBinary();
        home = Files.createDirectories(dir.resolve("home"));
        project = Files.createDirectories(dir.resolve("project"));
        sid = "wt-e2e-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        tmux = new Tmux();
    }

    @AfterEach
    void tearDown() {
        if (claude != null) claude.close();
        tmux.close();
        if (server != null) server.close();
        if (api != null) api.close();
    }

    @Test
    void httpHooksDeliverTheTurnAndTheApprovalIsAnsweredThroughTheHook() throws Exception {
        Assumptions.assumeTrue(ClaudeCode.onPath("curl"), "curl is not installed (the persona's SessionStart hook uses it)");
        var made = project.resolve("made-by-claude");
        startHttpPersonaSession("touch " + made);

        claude.prompt("please create the file");
        var approval = awaitPendingApproval();
        assertEquals("Bash", approval.path("tool_name").asText());
        assertEquals("touch " + made, approval.path("command").asText());
        assertFalse(Files.exists(made), "the tool waits for the decision");

        decide(approval, "approve", null);

        awaitFile(made);
        var events = awaitEvents(types -> types.contains("Stop"), "Stop");
        assertInOrder(types(events), "SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest",
                "PostToolUse", "Stop");
        for (var once : List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest", "PostToolUse", "Stop")) {
            assertEquals(1, types(events).stream().filter(once::equals).count(), once + " arrived once: " + types(events));
        }
        var claudeSession = events.get(0).path("payload").path("session_id").asText();
        assertFalse(claudeSession.isEmpty());
        for (var e : events) {
            assertEquals(sid, e.path("session_id").asText(), "stored under the Watchtower session: " + e);
            assertEquals(claudeSession, e.path("payload").path("session_id").asText(), "one Claude Code session");
            assertEquals("http", e.path("payload").path("hook_transport").asText(), e.path("event_type").asText());
            assertTrue(e.path("payload").path("tmux_pane").asText().matches("%\\d+"), "X-Tmux-Pane came through: " + e);
        }
        assertEquals("approved", approvalStatus(approval));
        var results = api.toolResults();
        assertEquals(1, results.size());
        assertFalse(results.get(0).path("is_error").asBoolean(false), results.get(0).toString());
        assertEquals(2, api.messages().size(), "the prompt, then the tool result");
        assertTokensEqualWhatTheApiReported();
    }

    @Test
    void aDenialThroughTheApiStopsTheToolAndReachesTheModel() throws Exception {
        Assumptions.assumeTrue(ClaudeCode.onPath("curl"), "curl is not installed (the persona's SessionStart hook uses it)");
        var made = project.resolve("must-not-exist");
        startHttpPersonaSession("touch " + made);

        claude.prompt("please create the file");
        var approval = awaitPendingApproval();
        decide(approval, "deny", "Denied by the e2e test");

        var exchanges = api.await(x -> !lastToolResults(x).isEmpty(), TURN, "a tool_result");
        var result = lastToolResults(exchanges).get(0);
        assertTrue(result.path("is_error").asBoolean(false), "the denial is an error result: " + result);
        assertTrue(FakeAnthropicApi.text(result).contains("Denied by the e2e test"), "the person's message: " + result);
        awaitEvents(types -> types.contains("Stop"), "Stop");
        assertFalse(Files.exists(made), "the denied command did not run");
        assertFalse(types(events()).contains("PostToolUse"), "no tool ran");
        assertEquals("denied", approvalStatus(approval));
    }

    @Test
    void commandHooksInstalledByTheInstallerDeliverTheTurn() throws Exception {
        var made = project.resolve("made-by-command-hooks");
        api = FakeAnthropicApi.start(Script.bashThenText("touch " + made, "done"));
        server = TestServer.start(dir.resolve("server"));
        installCommandHooks(server.url(), server.server().config().dataDir());
        claude = ClaudeCode.start(tmux, bin, home, project, api.url(), Map.of("UVS_SESSION_ID", sid),
                List.of("--permission-mode", "manual"));

        claude.prompt("please create the file");
        var approval = awaitPendingApproval(); // from `wthook notify` on PermissionRequest
        assertEquals("touch " + made, approval.path("command").asText());
        claude.approveInTerminal("touch " + made); // a command hook cannot carry the decision back

        awaitFile(made);
        var events = awaitEvents(types -> types.contains("Stop"), "Stop");
        assertInOrder(types(events), "SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest",
                "PostToolUse", "Stop");
        for (var e : events) {
            assertEquals(sid, e.path("session_id").asText());
            assertFalse(e.path("payload").path("wt_event_id").asText().isEmpty(), "sent by WtHook: " + e);
        }
        awaitApprovalStatus(approval, "resolved"); // PostToolUse closed it: the terminal answered
        assertTokensEqualWhatTheApiReported(); // `wthook tokens` on Stop
    }

    @Test
    void withTheServerDownTheSpoolKeepsEveryEventAndDeliversThemInOrderLater() throws Exception {
        var made = project.resolve("made-while-server-down");
        api = FakeAnthropicApi.start(Script.bashThenText("touch " + made, "done"));
        // start once for the port, the token file and the database, then stop it
        var first = TestServer.start(dir.resolve("server"));
        var config = first.server().config();
        int port = first.port();
        var url = first.url();
        first.close();
        installCommandHooks(url, config.dataDir());
        claude = ClaudeCode.start(tmux, bin, home, project, api.url(), Map.of("UVS_SESSION_ID", sid),
                List.of("--permission-mode", "manual"));

        claude.prompt("please create the file");
        claude.approveInTerminal("touch " + made);
        awaitFile(made);
        claude.awaitScreen(s -> s.contains("done"), TURN, "the closing text");
        var spool = config.dataDir().resolve("spool").resolve("spool.jsonl");
        awaitSpooled(spool, "Stop");
        claude.close(); // SessionEnd's hooks spool too; close waits for every hook process to end

        var spooled = readSpool(spool);
        var spooledEvents = spooled.stream().filter(r -> r.path("path").asText().equals("/events")).toList();
        var spooledTypes = spooledEvents.stream().map(r -> body(r).path("event_type").asText()).toList();
        assertInOrder(spooledTypes, "SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest",
                "PostToolUse", "Stop", "SessionEnd");

        server = TestServer.start(new Config("127.0.0.1", port, config.db(), config.dataDir(), Optional.empty(),
                List.of(), 0));
        var flush = flush(url, config.dataDir());
        assertEquals(0, flush, "wthook flush exits 0");

        assertTrue(!Files.exists(spool) || Files.size(spool) == 0, "the spool is empty: " + (Files.exists(spool)
                ? Files.readString(spool) : ""));
        var stored = events();
        assertEquals(spooledEvents.stream().map(r -> r.path("id").asText()).toList(),
                stored.stream().map(e -> e.path("payload").path("wt_event_id").asText()).toList(),
                "every spooled event stored once, in spool order");
        assertEquals(spooledTypes, types(stored));
        var approvals = server.api().get("/approvals?status=all").json();
        var ours = new ArrayList<JsonNode>();
        for (var a : approvals) if (sid.equals(a.path("session_id").asText())) ours.add(a);
        assertEquals(1, ours.size(), "the spooled notify became one approval: " + approvals);
        assertFalse(ours.get(0).path("status").asText().equals("pending"),
                "and the events spooled after it (PostToolUse, SessionEnd) closed it, so order held: " + ours);
        assertTokensEqualWhatTheApiReported();
    }

    @Test
    void theClientAcceptsEveryPersonaFile() throws Exception {
        api = FakeAnthropicApi.start(Script.bashThenText("true", "done"));
        for (var name : List.of("auto", "professional", "spike", "sport")) {
            var settings = dir.resolve(name + ".json");
            Files.writeString(settings, HooksInstaller.personaFor(Repo.root().resolve("personas/" + name + ".json"),
                    "http://127.0.0.1:9"));
            try (var t = new Tmux()) {
                var c = ClaudeCode.start(t, bin, home.resolve(name), project, api.url(), Map.of(),
                        List.of("--settings", settings.toString()));
                var screen = c.screen();
                c.close();
                for (var complaint : List.of("Settings Warning", "Settings Error", "Invalid", "entry ignored", "⚠")) {
                    assertFalse(screen.contains(complaint), name + ": the client complained:\n" + screen);
                }
                var mode = name.equals("auto") ? "auto mode on" : "manual mode on";
                assertTrue(screen.contains(mode), name + ": expected '" + mode + "':\n" + screen);
            }
        }
    }

    // --- infra ---

    void startHttpPersonaSession(String command) throws Exception {
        api = FakeAnthropicApi.start(Script.bashThenText(command, "done"));
        server = TestServer.start(dir.resolve("server"));
        var settings = dir.resolve("professional.json");
        Files.writeString(settings, HooksInstaller.personaFor(Repo.root().resolve("personas/professional.json"), server.url()));
        claude = ClaudeCode.start(tmux, bin, home, project, api.url(),
                Map.of("UVS_SESSION_ID", sid, "UVS_TOKEN", server.token()),
                List.of("--settings", settings.toString(), "--permission-mode", "manual"));
    }

    /** Command hooks in the project's settings.local.json, running WtHook from this test's classpath. */
    void installCommandHooks(String url, Path uvsHome) {
        var command = WtHookCommand.of(System.getProperty("java.class.path"), Optional.of(uvsHome));
        var result = HooksInstaller.install(HooksInstaller.projectSettings(project), HooksInstaller.Mode.COMMAND, url,
                Optional.of(command));
        assertTrue(result.changed(), result.summary());
    }

    JsonNode awaitPendingApproval() throws InterruptedException {
        return poll(() -> {
            for (var a : server.api().get("/approvals?status=pending").json()) {
                if (sid.equals(a.path("session_id").asText())) return a;
            }
            return null;
        }, "a pending approval for " + sid);
    }

    void decide(JsonNode approval, String decision, String message) {
        var body = obj("decision", decision, "decided_by", "e2e");
        if (message != null) body.put("message", message);
        var reply = server.api().post("/approvals/" + approval.path("id").asLong() + "/decide", body);
        assertEquals(200, reply.status(), reply.body());
    }

    String approvalStatus(JsonNode approval) {
        for (var a : server.api().get("/approvals?status=all").json()) {
            if (a.path("id").asLong() == approval.path("id").asLong()) return a.path("status").asText();
        }
        throw new AssertionError("approval " + approval.path("id") + " is gone");
    }

    void awaitApprovalStatus(JsonNode approval, String status) throws InterruptedException {
        poll(() -> status.equals(approvalStatus(approval)) ? status : null, "approval " + approval.path("id") + " " + status);
    }

    /** The session's events, oldest first. */
    List<JsonNode> events() {
        var reply = server.api().get("/sessions/" + sid + "/events?limit=1000");
        if (reply.status() == 404) return List.of();
        assertEquals(200, reply.status(), reply.body());
        var out = new ArrayList<JsonNode>();
        reply.json().forEach(out::add);
        java.util.Collections.reverse(out);
        return out;
    }

    List<JsonNode> awaitEvents(Predicate<List<String>> condition, String what) throws InterruptedException {
        return poll(() -> {
            var events = events();
            return condition.test(types(events)) ? events : null;
        }, "events up to " + what + " (have " + types(events()) + ")");
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event_type").asText()).toList();
    }

    void awaitFile(Path file) throws InterruptedException {
        poll(() -> Files.exists(file) ? file : null, file + " to be created by the Bash tool");
    }

    /** Counted from the transcript by the server: equal to what the fake reported, each response once. */
    void assertTokensEqualWhatTheApiReported() throws InterruptedException {
        var want = api.reportedUsage();
        var got = poll(() -> {
            var s = server.api().get("/sessions/" + sid).json();
            return s.path("output_tokens").asLong() == want.output() ? s : null;
        }, "output_tokens " + want.output() + " (session: " + server.api().get("/sessions/" + sid).body() + ")", TOKENS);
        assertEquals(want.input(), got.path("fresh_input_tokens").asLong(), "input");
        assertEquals(want.cacheCreation(), got.path("cache_creation_tokens").asLong(), "cache creation");
        assertEquals(want.cacheRead(), got.path("cache_read_tokens").asLong(), "cache read");
        assertEquals(want.input() + want.cacheCreation() + want.cacheRead(), got.path("input_tokens").asLong(),
                "the reference's input_tokens: input plus both cache kinds");
    }

    static void assertInOrder(List<String> actual, String... expected) {
        int at = -1;
        for (var e : expected) {
            int next = actual.subList(at + 1, actual.size()).indexOf(e);
            assertTrue(next >= 0, e + " missing after position " + at + " in " + actual);
            at += next + 1;
        }
    }

    static List<JsonNode> lastToolResults(List<FakeAnthropicApi.Exchange> exchanges) {
        var out = new ArrayList<JsonNode>();
        for (var e : exchanges) if (e.answer().isPresent()) out.addAll(FakeAnthropicApi.lastToolResults(e.body()));
        return out;
    }

    void awaitSpooled(Path spool, String eventType) throws Exception {
        poll(() -> {
            try {
                if (!Files.exists(spool)) return null;
                for (var r : readSpool(spool)) {
                    if (body(r).path("event_type").asText().equals(eventType)) return r;
                }
                return null;
            } catch (Exception e) {
                return null;
            }
        }, eventType + " in the spool");
    }

    static List<JsonNode> readSpool(Path spool) throws Exception {
        var out = new ArrayList<JsonNode>();
        if (!Files.exists(spool)) return out;
        for (var line : Files.readAllLines(spool, UTF_8)) if (!line.isBlank()) out.add(JSON.readTree(line));
        return out;
    }

    static JsonNode body(JsonNode spoolEntry) {
        try {
            return JSON.readTree(spoolEntry.path("body").asText());
        } catch (Exception e) {
            return JSON.nullNode();
        }
    }

    /** {@code wthook flush}, as a person would run it, from this test's classpath. */
    int flush(String url, Path uvsHome) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "WtHook", "flush"))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("UVS_WATCHTOWER_URL", url);
        pb.environment().put("UVS_HOME", uvsHome.toString());
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "flush did not finish");
        assertEquals("", out, "wthook prints nothing");
        return p.exitValue();
    }

    static <T> T poll(java.util.function.Supplier<T> probe, String what) throws InterruptedException {
        return poll(probe, what, TURN);
    }

    static <T> T poll(java.util.function.Supplier<T> probe, String what, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            var v = probe.get();
            if (v != null) return v;
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
    }
}
