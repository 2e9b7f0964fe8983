package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import watchtower.hook.HookHarness.Sink;

/**
 * {@code wthook send} against the reference: its body must be what watchtower-send.sh (jq)
 * sends for the same input and metadata file, field for field, except {@code _hook_ts} (a
 * clock) and our added {@code wt_event_id}. The reference runs as a real bash process
 * into a recording sink; our side runs as a real process once (the wiring) and in-process
 * for the table (the same code, without a JVM start per case on a 2-core box).
 */
class WtHookSendTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Quotes, unicode, a null, a linked worktree, an empty string (which jq keeps: only null/false fall back). */
    static final String METADATA = """
            {
              "uvs_session_id": "uvs-meta-1",
              "name": "Fix \\"login\\" ✓ 日本",
              "kind": "outcome",
              "purpose": "",
              "priority": "high",
              "persona": null,
              "cwd": "/home/user/project",
              "started_at": 1764000000,
              "git_worktree": "/home/user/project-wt",
              "git_branch": "feature/ü",
              "git_main_repo": "/home/user/project",
              "git_is_linked_worktree": true
            }
            """;

    @TempDir
    Path dir;

    static Stream<String> fixturePayloads() {
        return Stream.of("PreToolUse.json", "PermissionRequest--Bash.json", "PostToolUse--Agent.json", "Stop.json",
                "SessionStart--compact.json", "UserPromptSubmit.json", "Notification--idle_prompt.json",
                "PostToolBatch.json");
    }

    static Stream<String> handWrittenPayloads() {
        return Stream.of(
                "{\"cwd\":\"/tmp/p r/ünï\",\"prompt\":\"say \\\"hi\\\"\\n\\t✓ \\u2028 \\\\ end\",\"n\":{\"a\":[1,2.5,{\"b\":null}]}}",
                "{\"cwd\":\"\",\"session_id\":\"x\"}",
                "{\"cwd\":\"/home/user/project/\",\"event_type\":\"overridden\",\"persona\":\"mine\"}",
                "{\"session_id\":\"no-cwd\"}",
                "{}");
    }

    @Test
    void processBodyEqualsReferenceHook() throws Exception {
        compareWithReference(HookHarness.fixture("PreToolUse.json"), true, true);
    }

    @ParameterizedTest
    @MethodSource("fixturePayloads")
    void fixtureBodyEqualsReferenceHookWithMetadata(String fixture) throws Exception {
        compareWithReference(HookHarness.fixture(fixture), true, false);
    }

    @ParameterizedTest
    @MethodSource("handWrittenPayloads")
    void handWrittenBodyEqualsReferenceHook(String payload) throws Exception {
        var input = dir.resolve("input.json");
        Files.writeString(input, payload, UTF_8);
        compareWithReference(input, true, false);
    }

    @Test
    void withoutMetadataFileOnlySessionIdIsAddedLikeReference() throws Exception {
        compareWithReference(HookHarness.fixture("PreToolUse.json"), false, false);
    }

    @Test
    void metadataFieldsAreSplicedAsTheJqScriptDefines() throws Exception {
        var project = project(true);
        try (var sink = Sink.start()) {
            var run = HookHarness.run(env(sink.url(), project), HookHarness.fixture("PreToolUse.json"),
                    dir.resolve("out"), "send", "PreToolUse");
            run.assertSilentSuccess();
            var r = sink.next();
            assertEquals("POST", r.method());
            assertEquals("/events", r.path());
            assertEquals("application/json", r.header("Content-Type"));
            var body = (ObjectNode) JSON.readTree(r.body());
            assertEquals("PreToolUse", body.get("event_type").asText());
            assertEquals("project", body.get("source_app").asText());
            assertEquals("uvs-meta-1", body.get("uvs_session_id").asText(), "the metadata's id wins over the env's");
            assertEquals("Fix \"login\" ✓ 日本", body.get("session_name").asText());
            assertEquals("", body.get("session_purpose").asText(), "\"\" is kept, not replaced");
            assertEquals("", body.get("persona").asText(), "null falls back to \"\"");
            assertEquals("feature/ü", body.get("git_branch").asText());
            assertTrue(body.get("git_is_linked_worktree").asBoolean());
            assertEquals("touch /tmp/demo-file", body.at("/tool_input/command").asText(), "payload kept");
            assertTrue(Math.abs(body.get("_hook_ts").asDouble() - System.currentTimeMillis() / 1000.0) < 60);
            assertTrue(body.get("wt_event_id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        }
    }

    @Test
    void sessionIdFallsBackToCurrentSessionPointer() throws Exception {
        var project = project(false);
        Files.writeString(project.resolve(".uv-suite-state/current-session.txt"), "from-pointer\r\n", UTF_8);
        var env = env("http://unused", project);
        env.remove("UVS_SESSION_ID");
        var body = JSON.readTree(inProcess(env, "{}", "Stop").body());
        assertEquals("from-pointer", body.get("uvs_session_id").asText());
    }

    @Test
    void aSessionIdThatWouldLeaveTheFolderReadsNoMetadata() throws Exception {
        var project = project(true);
        Files.writeString(project.resolve(".uv-suite-state/evil.json"), METADATA, UTF_8);
        var env = env("http://unused", project);
        env.put("UVS_SESSION_ID", "../evil");
        var body = JSON.readTree(inProcess(env, "{}", "Stop").body());
        assertEquals("../evil", body.get("uvs_session_id").asText());
        assertTrue(body.get("session_name") == null, "no metadata was read from outside sessions/");
    }

    @Test
    void nonObjectInputIsWrappedAndStillSent() throws Exception {
        var body = JSON.readTree(inProcess(env("http://unused", project(false)), "not json {", "Odd").body());
        assertEquals("not json {", body.get("raw_input").asText());
        assertEquals("Odd", body.get("event_type").asText());
        assertTrue(body.get("source_app").isNull());
    }

    // --- infra ---

    private void compareWithReference(Path input, boolean withMetadata, boolean asProcess) throws Exception {
        assumeTrue(HookHarness.referenceHooks() != null, "reference hooks (uv-suite@0.32.0) not unpacked here");
        assumeTrue(HookHarness.onPath("jq") && HookHarness.onPath("bash") && HookHarness.onPath("curl"),
                "jq, bash and curl are needed to run the reference hook");
        var project = project(withMetadata);
        try (var sink = Sink.start()) {
            var env = env(sink.url(), project);
            assertEquals(0, HookHarness.runReference("watchtower-send.sh", env, input, "PreToolUse"));
            var expected = (ObjectNode) JSON.readTree(sink.next().body());
            ObjectNode actual;
            if (asProcess) {
                HookHarness.run(env, input, dir.resolve("out"), "send", "PreToolUse").assertSilentSuccess();
                actual = (ObjectNode) JSON.readTree(sink.next().body());
            } else {
                actual = (ObjectNode) JSON.readTree(inProcess(env, Files.readString(input, UTF_8), "PreToolUse").body());
            }

            assertTrue(expected.get("_hook_ts").isNumber() && actual.get("_hook_ts").isNumber());
            assertTrue(actual.get("wt_event_id").isTextual());
            expected.remove("_hook_ts");
            actual.remove("_hook_ts");
            actual.remove("wt_event_id");
            assertEquals(expected, actual);
        }
    }

    /** What HookCommand builds for {@code send}, from the same environment, without starting a JVM. */
    private HookRequest inProcess(Map<String, String> envMap, String input, String eventType) {
        var env = HookEnv.from(envMap, HookEnv.DEFAULT_DEADLINE_MS);
        var log = new HookLog(dir.resolve("test.log"), HookLog.DEFAULT_MAX_BYTES, "test");
        var sid = ProjectState.sessionId(env, log);
        return new HookRequests(sid, ProjectState.metadata(env, sid, log), env.workDir(), System::currentTimeMillis,
                RandomIds::uuid).event(eventType, input);
    }

    private Path project(boolean withMetadata) throws Exception {
        var project = Files.createDirectories(dir.resolve("project"));
        var sessions = Files.createDirectories(project.resolve(".uv-suite-state/sessions"));
        Files.deleteIfExists(sessions.resolve("env-sid.json"));
        if (withMetadata) Files.writeString(sessions.resolve("env-sid.json"), METADATA, UTF_8);
        return project;
    }

    private Map<String, String> env(String url, Path project) {
        var env = new HashMap<String, String>();
        env.put("UVS_WATCHTOWER_URL", url);
        env.put("UVS_HOME", dir.resolve("uvs").toString());
        env.put("UVS_SESSION_ID", "env-sid");
        env.put("CLAUDE_PROJECT_DIR", project.toString());
        env.put("HOME", dir.toString());
        return env;
    }
}
