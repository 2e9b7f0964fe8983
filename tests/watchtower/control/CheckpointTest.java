package watchtower.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/** POST /sessions/{id}/checkpoint: the reference's file, layout and content, written only inside the cwd. */
class CheckpointTest {
    @TempDir
    Path dir;
    TestServer server;
    Api api;
    Path project;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
        project = Files.createDirectories(dir.resolve("project"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theCheckpointHoldsPromptsEditsToolUsageAndGitState() throws Exception {
        git("init", "-q", "-b", "main");
        Files.writeString(project.resolve("a.txt"), "one\n");
        git("add", "a.txt");
        git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "First commit");
        Files.writeString(project.resolve("a.txt"), "two\n");
        Files.writeString(project.resolve("new.txt"), "x\n");

        var a = project.resolve("a.txt").toString();
        api.post("/sessions/register", obj("id", "cp1", "name", "Login page", "persona", "professional", "cwd", project.toString()));
        event("cp1", "UserPromptSubmit", null, obj("prompt", "  Add the   login\npage  "));
        for (int i = 0; i < 2; i++) {
            event("cp1", "PreToolUse", "Edit", obj("tool_input", obj("file_path", a)));
            event("cp1", "PostToolUse", "Edit", obj("tool_input", obj("file_path", a)));
        }
        event("cp1", "PreToolUse", "Bash", obj("tool_input", obj("command", "ls")));
        event("cp1", "PostToolUse", "Bash", obj("tool_input", obj("command", "ls")));
        event("cp1", "UserPromptSubmit", null, obj("prompt", "Now the tests"));

        var reply = api.post("/sessions/cp1/checkpoint", obj());
        assertEquals(200, reply.status(), reply.body());
        var path = Path.of(reply.json().path("path").asText());
        var minute = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm");
        var now = ZonedDateTime.now(ZoneOffset.UTC);
        assertTrue(List.of(minute.format(now), minute.format(now.minusMinutes(1))).contains(
                path.getFileName().toString().replaceAll("^manual-|\\.md$", "")), path.toString());
        assertEquals(project.resolve("uv-out/sessions/cp1/checkpoints"), path.getParent());

        var text = Files.readString(path, StandardCharsets.UTF_8);
        assertEquals(text, Files.readString(path.resolveSibling("latest.md")), "latest.md is the same checkpoint");
        assertTrue(text.startsWith("---\nsession: cp1\nname: Login page\nkind: \npriority: \nparent: \ncreated: "), text);
        assertTrue(text.contains("\nsource: watchtower\n---\n\n# Checkpoint: Login page\n\n## Session\n\n- **Name:** Login page\n"), text);
        assertTrue(text.contains("- **Persona:** professional\n"), text);
        assertTrue(text.contains("- **cwd:** " + project + "\n"), text);
        assertTrue(text.contains("## What was done\n\n**Asked (2):**\n- Add the login page\n- Now the tests\n\n"), text);
        assertTrue(text.contains("**Files changed:**\n- `" + a + "` (2×)\n\n"), "each edit counted once: " + text);
        assertTrue(text.contains("**Tool usage:** 2× Edit, 1× Bash\n"), text);
        assertTrue(text.contains("## Git state\n\n- Branch: `main`\n\n"), text);
        assertTrue(text.contains("Working tree:\n```\nM a.txt\n?? new.txt\n```"), text);
        assertTrue(text.matches("(?s).*Recent commits:\n```\n[0-9a-f]{7,} First commit\n```\n\n"), text);

        var listed = api.get("/sessions/cp1/checkpoints").json();
        assertEquals(2, listed.size(), "the dated file and latest.md, as GET /checkpoints lists them");
    }

    @Test
    void aSessionWithoutActivityOrGitGetsThePlaceholders() throws Exception {
        api.post("/sessions/register", obj("id", "cp2", "cwd", project.toString()));
        var path = Path.of(api.post("/sessions/cp2/checkpoint", obj()).json().path("path").asText());
        var text = Files.readString(path);
        assertTrue(text.contains("# Checkpoint: cp2\n"), "the id stands in for a missing name");
        assertTrue(text.contains("_No recorded activity yet._"), text);
        assertTrue(text.contains("- Branch: `(unknown)`") && text.contains("(clean)") && text.contains("(no commits)"), text);
    }

    @Test
    void theCheckpointIsBroadcast() throws Exception {
        api.post("/sessions/register", obj("id", "cp3", "cwd", project.toString()));
        var messages = new LinkedBlockingQueue<JsonNode>();
        var ws = HttpClient.newHttpClient().newWebSocketBuilder().header("X-UVS-Token", server.token())
                .buildAsync(URI.create(server.url().replace("http", "ws") + "/live"), new WebSocket.Listener() {
                    final StringBuilder partial = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                messages.add(Api.JSON.readTree(partial.toString()));
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        try {
            assertEquals("snapshot", messages.poll(5, TimeUnit.SECONDS).path("type").asText());
            var path = api.post("/sessions/cp3/checkpoint", obj()).json().path("path").asText();
            var msg = messages.poll(5, TimeUnit.SECONDS);
            assertEquals("checkpoint", msg.path("type").asText());
            assertEquals("cp3", msg.path("session_id").asText());
            assertEquals(path, msg.path("path").asText());
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSymlinkedUvOutLeadingOutsideIsRefusedAndNothingIsWrittenThere() throws Exception {
        var elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(project.resolve("uv-out"), elsewhere); // cannot escape the cwd
        api.post("/sessions/register", obj("id", "cp4", "cwd", project.toString()));
        var reply = api.post("/sessions/cp4/checkpoint", obj());
        assertEquals(409, reply.status(), reply.body());
        assertTrue(reply.detail().contains("symlink"), reply.detail());
        try (var files = Files.walk(elsewhere)) {
            assertEquals(List.of(elsewhere), files.toList(), "nothing written outside the cwd");
        }
    }

    @Test
    void aSymlinkedSessionFolderDeeperDownIsRefusedToo() throws Exception {
        var elsewhere = Files.createDirectories(dir.resolve("elsewhere2"));
        Files.createDirectories(project.resolve("uv-out/sessions"));
        Files.createSymbolicLink(project.resolve("uv-out/sessions/cp5"), elsewhere);
        api.post("/sessions/register", obj("id", "cp5", "cwd", project.toString()));
        assertEquals(409, api.post("/sessions/cp5/checkpoint", obj()).status());
        try (var files = Files.list(elsewhere)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aSymlinkInsideTheCwdIsFollowed() throws Exception {
        var real = Files.createDirectories(project.resolve("outputs"));
        Files.createSymbolicLink(project.resolve("uv-out"), real);
        api.post("/sessions/register", obj("id", "cp6", "cwd", project.toString()));
        assertEquals(200, api.post("/sessions/cp6/checkpoint", obj()).status());
        assertTrue(Files.exists(real.resolve("sessions/cp6/checkpoints/latest.md")));
    }

    @Test
    void aLatestMdSymlinkIsReplacedNotWrittenThrough() throws Exception {
        var victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        var checkpoints = Files.createDirectories(project.resolve("uv-out/sessions/cp7/checkpoints"));
        Files.createSymbolicLink(checkpoints.resolve("latest.md"), victim);
        api.post("/sessions/register", obj("id", "cp7", "cwd", project.toString()));
        assertEquals(200, api.post("/sessions/cp7/checkpoint", obj()).status());
        assertEquals("keep me", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(checkpoints.resolve("latest.md")));
        assertTrue(Files.readString(checkpoints.resolve("latest.md")).contains("# Checkpoint: cp7"));
    }

    @Test
    void sessionsWithoutAUsableCwdGetAClear409() {
        api.post("/sessions/register", obj("id", "cp8"));
        var none = api.post("/sessions/cp8/checkpoint", obj());
        assertEquals(409, none.status());
        assertTrue(none.detail().contains("no cwd"), none.detail());
        api.post("/sessions/register", obj("id", "cp9", "cwd", "relative/dir"));
        assertEquals(409, api.post("/sessions/cp9/checkpoint", obj()).status());
        api.post("/sessions/register", obj("id", "cp10", "cwd", dir.resolve("missing").toString()));
        var missing = api.post("/sessions/cp10/checkpoint", obj());
        assertEquals(409, missing.status());
        assertTrue(missing.detail().contains("not an existing directory"), missing.detail());
    }

    // --- infra ---

    private void event(String sid, String type, String tool, java.util.Map<String, Object> extra) {
        var body = obj("session_id", sid, "event_type", type);
        if (tool != null) body.put("tool_name", tool);
        body.putAll(extra);
        var reply = api.post("/events", body);
        assertEquals(200, reply.status(), reply.body());
    }

    private void git(String... args) throws Exception {
        var argv = new java.util.ArrayList<>(List.of("git", "-C", project.toString()));
        argv.addAll(List.of(args));
        var p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args) + ": " + out);
    }
}
