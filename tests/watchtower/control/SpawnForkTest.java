package watchtower.control;

import watchtower.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.PrivateTmux;
import watchtower.testing.TestServer;

/**
 * POST /sessions/spawn and /sessions/{id}/fork with stub agents on a private tmux socket: the
 * stubs record the argument list, cwd and environment they were started with.
 */
class SpawnForkTest {
    static final String STUB = """
            #!/usr/bin/env bash
            out="$(dirname "$0")/$UVS_SESSION_ID"
            mkdir -p "$out"
            printf '%s\\0' "$0" "$@" > "$out/argv.tmp"
            pwd > "$out/cwd"
            printf '%s' "$UVS_TOKEN" > "$out/token"
            printf '%s\\n' "$UVS_SESSION_ID" "$UVS_IN_TMUX" "$UVS_WATCHTOWER_URL" > "$out/env"
            mv "$out/argv.tmp" "$out/argv"
            exec sleep 60
            """;

    @TempDir
    Path dir;
    final PrivateTmux tmux = new PrivateTmux();
    TestServer server;
    Api api;
    Path stubs;
    Path claude;
    Path codex;
    Path project;

    @BeforeEach
    void start() throws Exception {
        stubs = Files.createDirectories(dir.resolve("stubs"));
        claude = stub("claude");
        codex = stub("codex");
        project = Files.createDirectories(dir.resolve("project; $(touch x)")).toRealPath();
        tmux.install();
        System.setProperty("watchtower.claude.bin", claude.toString());
        System.setProperty("watchtower.codex.bin", codex.toString());
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        System.clearProperty("watchtower.claude.bin");
        System.clearProperty("watchtower.codex.bin");
        tmux.close();
    }

    @Test
    void spawnPassesThePersonaSettingsAndTheTaskAsOneArgument() throws Exception {
        var settings = Files.createDirectories(project.resolve(".claude/personas")).resolve("professional.json");
        Files.writeString(settings, "{\"hooks\":{}}");
        var task = "x; touch " + dir.resolve("pwned") + " $(touch " + dir.resolve("pwned2") + ") `touch "
                + dir.resolve("pwned3") + "` \"q' z\nsecond line";
        var reply = api.post("/sessions/spawn", obj("tool", "claude", "persona", "professional",
                "cwd", project.toString(), "task", task));
        assertEquals(200, reply.status(), reply.body());
        var id = reply.json().path("id").asText();
        assertEquals("uvs_" + id, reply.json().path("tmux_target").asText());

        assertEquals(List.of(claude.toString(), "--settings", settings.toString(), "--permission-mode", "manual", task),
                argv(id));
        assertEquals(project.toString(), read(id, "cwd").strip());
        assertEquals(List.of(id, "1", server.url()), Arrays.asList(read(id, "env").strip().split("\n")));
        assertEquals(server.token(), read(id, "token"), "the hooks of a spawned session can present the install token");
        for (var name : List.of("pwned", "pwned2", "pwned3")) {
            assertFalse(Files.exists(dir.resolve(name)), name + ": the task never reached a shell");
        }
        assertFalse(Files.exists(project.resolve("x")));
        assertTrue(tmux.sessions().contains("uvs_" + id));
        var session = api.get("/sessions/" + id).json();
        assertEquals("professional", session.path("persona").asText());
        assertEquals("claude", session.path("agent").asText());
        assertEquals(project.toString(), session.path("cwd").asText());
        assertEquals("uvs_" + id, session.path("tmux_target").asText());
        assertEquals("active", session.path("state").asText());
    }

    @Test
    void settingsThatChooseAPermissionModeAreLeftToDecide() throws Exception {
        var settings = Files.createDirectories(project.resolve(".claude/personas")).resolve("spike.json");
        Files.writeString(settings, "{\"permissions\":{\"defaultMode\":\"default\"}}");
        var id = api.post("/sessions/spawn", obj("persona", "spike", "cwd", project.toString())).json().path("id").asText();
        assertEquals(List.of(claude.toString(), "--settings", settings.toString()), argv(id));
    }

    @Test
    void withoutPersonaSettingsManualModeIsStillAsked() throws Exception {
        var id = api.post("/sessions/spawn", obj("persona", "auto", "cwd", project.toString())).json().path("id").asText();
        assertEquals(List.of(claude.toString(), "--permission-mode", "manual"), argv(id));
    }

    @Test
    void codexGetsTheReferenceLaunchersFlags() throws Exception {
        var reply = api.post("/sessions/spawn", obj("tool", "codex", "persona", "spike", "cwd", project.toString(), "task", "do it"));
        var id = reply.json().path("id").asText();
        assertEquals(List.of(codex.toString(), "--model", "o3", "--approval-mode", "suggest", "do it"), argv(id));
        assertEquals("codex", api.get("/sessions/" + id).json().path("agent").asText());
    }

    @Test
    void badSpawnRequestsAreRefusedBeforeAnythingStarts() {
        assertEquals(422, api.post("/sessions/spawn", obj("persona", "hacker", "cwd", project.toString())).status());
        assertEquals(422, api.post("/sessions/spawn", obj("persona", "../../etc/x", "cwd", project.toString())).status());
        assertEquals(422, api.post("/sessions/spawn", obj("tool", "bash", "cwd", project.toString())).status());
        assertEquals(422, api.post("/sessions/spawn", obj("cwd", "relative/dir")).status());
        assertEquals(422, api.post("/sessions/spawn", obj("cwd", dir.resolve("missing").toString())).status());
        assertEquals(422, api.post("/sessions/spawn", obj("cwd", project.toString(), "task", "--dangerously-skip-permissions")).status());
        assertEquals(422, api.post("/sessions/spawn", obj("cwd", project.toString(), "task", "a\u001b[2Jb")).status());
        assertEquals(422, api.post("/sessions/spawn", obj("cwd", project.toString(), "persona", 7)).status());
        assertEquals(400, api.postRaw("/sessions/spawn", "{not json", "application/json", true).status());
        assertEquals(401, api.postRaw("/sessions/spawn", Api.write(obj("cwd", project.toString())), "application/json", false).status());
        assertEquals(List.of(), tmux.sessions(), "nothing was started");
        assertEquals(0, api.get("/sessions").json().size(), "nothing was recorded");
    }

    @Test
    void aMissingAgentProgramIsAClear400() throws Exception {
        server.close();
        System.setProperty("watchtower.claude.bin", dir.resolve("no-such-claude").toString());
        server = TestServer.start(dir.resolve("server2"));
        var reply = server.api().post("/sessions/spawn", obj("cwd", project.toString()));
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.detail().contains("claude not found"), reply.detail());
    }

    @Test
    void forkStartsTheParentsPersonaInItsCwdWithParentId() throws Exception {
        api.post("/sessions/register", obj("id", "p1", "name", "Refactor", "persona", "sport", "cwd", project.toString()));
        var reply = api.post("/sessions/p1/fork?open=false", obj());
        assertEquals(200, reply.status(), reply.body());
        var child = reply.json().path("id").asText();
        assertEquals("Refactor (fork)", reply.json().path("name").asText());
        assertEquals("uvs_" + child, reply.json().path("tmux_target").asText());
        assertEquals("p1", reply.json().path("parent_id").asText());
        assertFalse(reply.json().path("terminal_opened").asBoolean());

        assertEquals(List.of(claude.toString(), "--permission-mode", "manual"), argv(child));
        assertEquals(project.toString(), read(child, "cwd").strip());
        assertTrue(tmux.sessions().contains("uvs_" + child));
        var meta = Api.JSON.readTree(Files.readString(project.resolve(".uv-suite-state/sessions/" + child + ".json")));
        assertEquals(child, meta.path("uvs_session_id").asText());
        assertEquals("p1", meta.path("parent_id").asText());
        assertEquals("Refactor (fork)", meta.path("name").asText());
        assertEquals("sport", meta.path("persona").asText());
        var session = api.get("/sessions/" + child).json();
        assertEquals("p1", session.path("parent_id").asText());
        assertEquals("sport", session.path("persona").asText());
        assertEquals(project.toString(), session.path("cwd").asText());
    }

    @Test
    void forkWithoutAUsableCwdOrWithAnUnknownPersonaIsRefused() {
        api.post("/sessions/register", obj("id", "p2", "name", "No cwd"));
        var noCwd = api.post("/sessions/p2/fork", obj());
        assertEquals(409, noCwd.status(), noCwd.body());
        assertTrue(noCwd.detail().contains("no cwd"), noCwd.detail());
        api.post("/sessions/register", obj("id", "p3", "persona", "../../../tmp/evil", "cwd", project.toString()));
        assertEquals(409, api.post("/sessions/p3/fork", obj()).status());
        assertEquals(404, api.post("/sessions/nope/fork", obj()).status());
        assertEquals(List.of(), tmux.sessions());
    }

    // --- infra ---

    private Path stub(String name) throws Exception {
        var file = stubs.resolve(name);
        Files.writeString(file, STUB, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private List<String> argv(String id) {
        var file = stubs.resolve(id).resolve("argv");
        Eventually.until("the stub to record its arguments", () -> Files.exists(file), done -> done);
        var raw = read(id, "argv");
        return Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1));
    }

    private String read(String id, String what) {
        try {
            return Files.readString(stubs.resolve(id).resolve(what), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
