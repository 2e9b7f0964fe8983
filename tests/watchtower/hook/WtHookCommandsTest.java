package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import watchtower.hook.HookHarness.Sink;

/** notify, end, tokens, codex-notify, the secret header, --help and --version, each as a real process. */
class WtHookCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Stream<Arguments> notifications() {
        return Stream.of(
                Arguments.of("{\"hook_event_name\":\"Notification\",\"notification_type\":\"permission_prompt\",\"message\":\"m\"}", true),
                Arguments.of("{\"hook_event_name\":\"Notification\",\"notification_type\":\"idle_prompt\",\"message\":\"m\"}", true),
                Arguments.of("{\"hook_event_name\":\"Notification\",\"notification_type\":\"agent_needs_input\",\"message\":\"m\"}", true),
                Arguments.of("{\"hook_event_name\":\"PermissionRequest\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"}}", true),
                Arguments.of("{\"type\":\"permission_prompt\",\"message\":\"m\"}", true),
                Arguments.of("{\"hook_event_name\":\"Notification\",\"notification_type\":\"auth_success\",\"message\":\"m\"}", false),
                Arguments.of("{\"type\":\"something_else\",\"notification_type\":\"permission_prompt\"}", false),
                Arguments.of("{\"type\":7}", false));
    }

    @ParameterizedTest
    @MethodSource("notifications")
    void notifyKeepsOnlyNotificationsThatNeedAPerson(String payload, boolean sent) {
        var request = requests("s-1").approval(payload);
        assertEquals(sent, request.isPresent(), payload);
        if (sent) assertEquals("/approvals", request.get().path());
    }

    @Test
    void notifyProcessSendsAPromptAndSkipsTheRest() throws Exception {
        try (var sink = Sink.start()) {
            HookHarness.run(env(sink.url()), write("skip.json", "{\"notification_type\":\"auth_success\"}"),
                    dir.resolve("o1"), "notify").assertSilentSuccess();
            assertEquals(List.of(), sink.drain());
            HookHarness.run(env(sink.url()), HookHarness.fixture("Notification--permission_prompt.json"),
                    dir.resolve("o2"), "notify").assertSilentSuccess();
            var got = sink.drain();
            assertEquals(1, got.size());
            assertEquals("/approvals", got.get(0).path());
        }
    }

    @ParameterizedTest
    @MethodSource("referenceNotifyFixtures")
    void notifyBodyEqualsReferenceHook(String fixture) throws Exception {
        assumeTrue(HookHarness.referenceHooks() != null, "reference hooks (uv-suite@0.32.0) not unpacked here");
        assumeTrue(HookHarness.onPath("jq") && HookHarness.onPath("bash") && HookHarness.onPath("curl"),
                "jq, bash and curl are needed to run the reference hook");
        var input = HookHarness.fixture(fixture);
        try (var sink = Sink.start()) {
            var env = env(sink.url());
            assertEquals(0, HookHarness.runReference("watchtower-notify.sh", env, input));
            var expected = JSON.readTree(sink.next().body());
            var actual = requests("s-1").approval(Files.readString(input, UTF_8)).orElseThrow();
            assertEquals(expected, JSON.readTree(actual.body()));
        }
    }

    static Stream<String> referenceNotifyFixtures() {
        return Stream.of("PermissionRequest--Bash.json", "PermissionRequest--Write.json", "Notification--permission_prompt.json",
                "Notification--idle_prompt.json");
    }

    @Test
    void notifyBodyCarriesCommandOrMessageAndTheWholeRequest() throws Exception {
        var fixture = Files.readString(HookHarness.fixture("PermissionRequest--Bash.json"), UTF_8);
        var body = JSON.readTree(requests("s-1").approval(fixture).orElseThrow().body());
        assertEquals("s-1", body.get("session_id").asText());
        assertEquals("Bash", body.get("tool_name").asText());
        assertEquals(JSON.readTree(fixture), body.get("request"));
        assertEquals(body.at("/request/tool_input/command").asText(), body.get("command").asText());

        var prompt = Files.readString(HookHarness.fixture("Notification--permission_prompt.json"), UTF_8);
        body = JSON.readTree(requests("s-1").approval(prompt).orElseThrow().body());
        assertEquals("", body.get("tool_name").asText());
        assertEquals("Claude needs your permission", body.get("command").asText());
    }

    @Test
    void endMarksTheSessionTerminated() throws Exception {
        try (var sink = Sink.start()) {
            var env = env(sink.url());
            env.put("UVS_SESSION_ID", "a b/c");
            HookHarness.run(env, HookHarness.fixture("SessionEnd.json"), dir.resolve("o"), "end").assertSilentSuccess();
            var r = sink.next();
            assertEquals("/sessions/a%20b%2Fc/state", r.path(), "the id is one encoded path segment");
            assertEquals("{\"state\":\"terminated\"}", r.body());
        }
    }

    @Test
    void endWithoutSessionSendsNothing() {
        assertTrue(requests("").end().isEmpty());
    }

    @Test
    void tokensSendsTheTranscriptPathForTheServerToCount() throws Exception {
        var transcript = Files.copy(HookHarness.fixture("transcript-sample.jsonl"), dir.resolve("t \"1\".jsonl"));
        var input = write("stop.json", "{\"session_id\":\"c\",\"transcript_path\":" + JSON.writeValueAsString(transcript.toString())
                + ",\"hook_event_name\":\"Stop\"}");
        try (var sink = Sink.start()) {
            HookHarness.run(env(sink.url()), input, dir.resolve("o"), "tokens").assertSilentSuccess();
            var r = sink.next();
            assertEquals("/sessions/s-1/tokens", r.path());
            assertEquals(Map.of("transcript_path", transcript.toString()), JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void tokensSkipsWithoutSessionOrTranscript() throws Exception {
        var present = Files.copy(HookHarness.fixture("transcript-sample.jsonl"), dir.resolve("t.jsonl"));
        var withPath = "{\"transcript_path\":\"" + present + "\"}";
        assertTrue(requests("s-1").tokens(withPath).isPresent());
        assertTrue(requests("").tokens(withPath).isEmpty(), "no session");
        assertTrue(requests("s-1").tokens("{\"transcript_path\":\"" + dir.resolve("nope.jsonl") + "\"}").isEmpty(),
                "no such file");
        assertTrue(requests("s-1").tokens("{\"session_id\":\"c\"}").isEmpty(), "no path");
        assertTrue(requests("s-1").tokens("{\"transcript_path\":null}").isEmpty(), "null path");
    }

    @Test
    void codexTurnCompleteBecomesAStopEventTaggedCodex() throws Exception {
        var payload = "{\"type\":\"agent-turn-complete\",\"thread-id\":\"th-1\",\"turn-id\":\"12\",\"cwd\":\"/w/codex-proj\","
                + "\"input-messages\":[\"fix it\"],\"last-assistant-message\":\"Done \\\"ok\\\"\"}";
        try (var sink = Sink.start()) {
            HookHarness.run(env(sink.url()), null, dir.resolve("o1"), "codex-notify", payload).assertSilentSuccess();
            var body = JSON.readTree(sink.next().body());
            assertEquals("Stop", body.get("event_type").asText());
            assertEquals("codex", body.get("agent").asText());
            assertEquals("codex-proj", body.get("source_app").asText());
            assertEquals("s-1", body.get("uvs_session_id").asText());
            assertEquals("th-1", body.get("session_id").asText());
            assertEquals("Done \"ok\"", body.get("last_assistant_message").asText());
            assertEquals("fix it", body.at("/input-messages/0").asText());
            assertTrue(body.get("wt_event_id").isTextual());

        }
        var other = requests("s-1").codexNotify("{\"type\":\"approval-requested\"}");
        assertEquals("CodexNotify", JSON.readTree(other.body()).get("event_type").asText());
        var cwdless = requests("s-1").codexNotify("{\"type\":\"agent-turn-complete\"}");
        assertEquals("w", JSON.readTree(cwdless.body()).get("source_app").asText(), "no cwd: the hook's own folder");
    }

    @Test
    void secretFromAPrivateFileIsSentTrimmed() throws Exception {
        var uvs = Files.createDirectories(dir.resolve("uvs"));
        var secret = Files.writeString(uvs.resolve("token"), "  s3cret-value\n", UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        try (var sink = Sink.start()) {
            HookHarness.run(env(sink.url()), HookHarness.fixture("Stop.json"), dir.resolve("o1"), "send", "Stop")
                    .assertSilentSuccess();
            var r = sink.next();
            assertEquals("s3cret-value", r.header("X-UVS-Token"));
            assertEquals("application/json", r.header("Content-Type"));
        }
    }

    @Test
    void secretReadableByOthersIsNotSent() throws Exception {
        var log = new HookLog(dir.resolve("test.log"), HookLog.DEFAULT_MAX_BYTES, "test");
        var secret = Files.writeString(dir.resolve("token"), "s3cret", UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        assertTrue(SecretFile.read(secret, log).isEmpty(), "group-readable");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw----r--"));
        assertTrue(SecretFile.read(secret, log).isEmpty(), "world-readable");
        assertTrue(Files.readString(dir.resolve("test.log"), UTF_8).contains("chmod 600"));
        assertTrue(!Files.readString(dir.resolve("test.log"), UTF_8).contains("s3cret"), "the secret is never logged");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r--------"));
        assertEquals("s3cret", SecretFile.read(secret, log).orElseThrow());
        assertTrue(SecretFile.read(dir.resolve("absent"), log).isEmpty());
    }

    @Test
    void versionAndHelpAreTheOnlyOutput() throws Exception {
        var version = HookHarness.run(Map.of(), null, dir.resolve("v"), "--version");
        assertEquals(0, version.exit());
        assertTrue(version.stdout().matches("wthook \\d+\\.\\d+\\.\\d+\\R"), version.stdout());
        var help = HookHarness.run(Map.of(), null, dir.resolve("h"), "--help");
        assertTrue(help.stdout().startsWith("Usage: wthook"), help.stdout());
        var unknown = HookHarness.run(Map.of("UVS_HOME", dir.resolve("uvs").toString()), null, dir.resolve("u"), "bogus");
        unknown.assertSilentSuccess();
        assertTrue(Files.readString(dir.resolve("uvs/wthook.log"), UTF_8).contains("unknown command 'bogus'"));
    }

    // --- infra ---

    private static HookRequests requests(String sid) {
        return new HookRequests(sid, java.util.Optional.empty(), Path.of("/w"), System::currentTimeMillis,
                RandomIds::uuid);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, UTF_8);
    }

    private Map<String, String> env(String url) throws Exception {
        var project = Files.createDirectories(dir.resolve("project"));
        var env = new HashMap<String, String>();
        env.put("UVS_WATCHTOWER_URL", url);
        env.put("UVS_HOME", dir.resolve("uvs").toString());
        env.put("UVS_SESSION_ID", "s-1");
        env.put("CLAUDE_PROJECT_DIR", project.toString());
        env.put("HOME", dir.toString());
        return env;
    }
}
