package watchtower.ctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.install.HooksInstaller;
import watchtower.testing.Repo;
import watchtower.testing.TestServer;

/**
 * `wtctl launch` with real tmux on a private socket (WATCHTOWER_TMUX_SOCKET) and a stub claude
 * (WATCHTOWER_CLAUDE_BIN) that records how it was started: its argument list, folder,
 * environment and the settings file it was given, then stays up like an agent.
 */
class LaunchCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STUB = """
            #!/bin/sh
            out="$(dirname "$0")/runs/$UVS_SESSION_ID"
            mkdir -p "$out"
            printf '%s\\0' "$0" "$@" > "$out/argv.tmp"
            pwd > "$out/cwd"
            printf '%s\\n' "$UVS_SESSION_ID" "$UVS_IN_TMUX" "$UVS_WATCHTOWER_URL" "$UVS_TOKEN" > "$out/env"
            while [ $# -gt 0 ]; do
              if [ "$1" = --settings ]; then cp "$2" "$out/settings.json"; fi
              shift
            done
            mv "$out/argv.tmp" "$out/argv"
            exec sleep 60
            """;

    @TempDir
    Path dir;
    final String socket = "wt-launch-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    Path stubs;
    Path claude;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(realProgram("tmux") != null, "tmux is not installed");
        stubs = Files.createDirectories(dir.resolve("stubs"));
        claude = stubs.resolve("claude");
        Files.writeString(claude, STUB, UTF_8);
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwx------"));
        project = Files.createDirectories(dir.resolve("my project")).toRealPath();
    }

    @AfterEach
    void tearDown() throws IOException {
        var socketPath = tmux("display-message", "-p", "#{socket_path}");
        tmux("kill-server");
        if (socketPath.startsWith("ok ")) Files.deleteIfExists(Path.of(socketPath.substring(3).strip())); // tmux 3.3a leaves it
    }

    @Test
    void aDetachedLaunchStartsClaudeInTmuxRegistersItAndPointsThePersonaAtTheServer() throws Exception {
        try (var server = TestServer.start(dir.resolve("server"))) {
            var r = Ctl.run(env(server.url()), "launch", "--json", "--detach", "--persona", "spike", "--name", "parser spike",
                    "--cwd", project.toString(), "--", "--model", "sonnet", "fix it;", "$(touch " + dir.resolve("pwned") + ")");
            assertEquals(0, r.code(), r.toString());
            var launched = JSON.readTree(r.out());
            var id = launched.path("id").asText();
            var target = "uvs_" + id;
            assertEquals(target, launched.path("tmux_target").asText());
            assertTrue(launched.path("registered").asBoolean(), r.out());

            var settings = project.resolve(".claude/personas/spike.json");
            assertEquals(settings.toString(), launched.path("settings").asText());
            assertEquals(List.of(claude.toString(), "--settings", settings.toString(), "--model", "sonnet", "fix it;",
                    "$(touch " + dir.resolve("pwned") + ")"), argv(id), "every argument reached claude as it was");
            assertFalse(Files.exists(dir.resolve("pwned")), "no argument went through a shell");

            assertTrue(tmux("has-session", "-t", "=" + target).startsWith("ok"), "the tmux session runs");
            assertEquals("ok " + project, tmux("display-message", "-p", "-t", "=" + target + ":", "#{pane_current_path}").strip());
            assertEquals(project.toString(), read(id, "cwd"));
            assertEquals(List.of(id, "1", server.url(), server.token()), List.of(read(id, "env").split("\n", -1)),
                    "session id, the launcher's guard, the server and the token (for the persona's X-UVS-Token)");

            var given = JSON.readTree(stubs.resolve("runs").resolve(id).resolve("settings.json").toFile());
            assertEquals(JSON.readTree(settings.toFile()), given, "claude got the persona file");
            assertEquals("default", given.path("permissions").path("defaultMode").asText(), "spike asks before tools");
            var urls = hookUrls(given);
            assertFalse(urls.isEmpty(), "the persona's http hooks are there");
            for (var url : urls) assertEquals(server.url() + "/hooks/claude", url, "every hook points at this server");

            var meta = JSON.readTree(project.resolve(".uv-suite-state/sessions/" + id + ".json").toFile());
            assertEquals(id, meta.path("uvs_session_id").asText());
            assertEquals("parser spike", meta.path("name").asText());
            assertEquals("spike", meta.path("persona").asText());
            assertEquals(project.toString(), meta.path("cwd").asText());
            assertEquals(id + "\n", Files.readString(project.resolve(".uv-suite-state/current-session.txt"), UTF_8));

            var row = server.api().get("/sessions/" + id).json();
            assertEquals(target, row.path("tmux_target").asText());
            assertEquals("spike", row.path("persona").asText());
            assertEquals("parser spike", row.path("name").asText());
            assertEquals(project.toString(), row.path("cwd").asText());
            var panePid = tmux("display-message", "-p", "-t", "=" + target + ":", "#{pane_pid}").substring(3).strip();
            assertEquals(panePid, row.path("pid").asText(), "the agent's pid, which the server can verify");
        }
    }

    @Test
    void withoutDetachTheTerminalIsAttachedToTheNewSession() throws Exception {
        // a tmux that records the attach (there is no terminal here) and runs every other command for real
        var attached = dir.resolve("attach.args");
        Ctl.fakeProgram(dir, "tmux", "if [ \"$3\" = attach ]; then printf '%s\\n' \"$@\" > '" + attached + "'; exit 0; fi\n"
                + "exec '" + realProgram("tmux") + "' \"$@\"");
        try (var server = TestServer.start(dir.resolve("server"))) {
            var r = Ctl.run(env(server.url()), "launch", "--cwd", project.toString());
            assertEquals(0, r.code(), r.toString());
            var id = Files.readString(project.resolve(".uv-suite-state/current-session.txt"), UTF_8).strip();
            assertTrue(r.out().contains("launched " + id + " (tmux uvs_" + id + "), persona professional"), r.out());
            assertEquals("-L\n" + socket + "\nattach\n-t\n=uvs_" + id + "\n", Files.readString(attached, UTF_8));
            assertEquals(List.of(claude.toString(), "--settings",
                    project.resolve(".claude/personas/professional.json").toString()), argv(id));
        }
    }

    @Test
    void aWatchtowerPersonaAlreadyInTheProjectIsKeptAndOnlyPointedAtThisServer() throws Exception {
        var settings = Files.createDirectories(project.resolve(".claude/personas")).resolve("sport.json");
        var mine = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                HooksInstaller.personaFor(Repo.root().resolve("personas/sport.json"), "http://127.0.0.1:9"));
        mine.put("model", "my-own-choice");
        Files.writeString(settings, mine.toString(), UTF_8);
        try (var server = TestServer.start(dir.resolve("server"))) {
            var r = Ctl.run(env(server.url()), "launch", "--detach", "--persona", "sport", "--cwd", project.toString());
            assertEquals(0, r.code(), r.toString());
            var written = JSON.readTree(settings.toFile());
            assertEquals("my-own-choice", written.path("model").asText(), "the person's change is kept");
            for (var url : hookUrls(written)) assertEquals(server.url() + "/hooks/claude", url);
        }
    }

    @Test
    void aPersonaFileThatIsNotWatchtowersIsLeftAloneAndOursGoesToUvsHome() throws Exception {
        var theirs = Files.createDirectories(project.resolve(".claude/personas")).resolve("professional.json");
        var reference = "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"\\\"$CLAUDE_PROJECT_DIR\\\""
                + "/.claude/hooks/watchtower-send.sh Stop\"}]}]}}\n";
        Files.writeString(theirs, reference, UTF_8);
        try (var server = TestServer.start(dir.resolve("server"))) {
            var r = Ctl.run(env(server.url()), "launch", "--detach", "--cwd", project.toString());
            assertEquals(0, r.code(), r.toString());
            assertEquals(reference, Files.readString(theirs, UTF_8), "the reference persona is untouched");
            var ours = dir.resolve("server/uvs/personas/professional.json");
            var id = Files.readString(project.resolve(".uv-suite-state/current-session.txt"), UTF_8).strip();
            assertEquals(List.of(claude.toString(), "--settings", ours.toString()), argv(id));
            for (var url : hookUrls(JSON.readTree(ours.toFile()))) assertEquals(server.url() + "/hooks/claude", url);
        }
    }

    @Test
    void withTheServerDownTheSessionStillStartsAndTheMissingRegistrationIsSaid() throws Exception {
        var url = "http://127.0.0.1:" + Ctl.closedPort();
        var r = Ctl.run(env(url), "launch", "--detach", "--cwd", project.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("warning: the session was not registered: cannot reach Watchtower"), r.err());
        var id = Files.readString(project.resolve(".uv-suite-state/current-session.txt"), UTF_8).strip();
        assertEquals(List.of(id, "1", url, ""), List.of(read(id, "env").split("\n", -1)),
                "no token file: none passed on");
    }

    @Test
    void mistakesAreRefusedBeforeAnythingIsWrittenOrStarted() throws Exception {
        try (var server = TestServer.start(dir.resolve("server"))) {
            var unknown = Ctl.run(env(server.url()), "launch", "--detach", "--persona", "yolo", "--cwd", project.toString());
            assertEquals(2, unknown.code(), unknown.toString());
            assertTrue(unknown.err().contains("unknown persona 'yolo'"), unknown.err());

            var noDir = Ctl.run(env(server.url()), "launch", "--detach", "--cwd", dir.resolve("absent").toString());
            assertEquals(2, noDir.code(), noDir.toString());
            assertTrue(noDir.err().contains("--cwd: no such folder"), noDir.err());

            var vars = new HashMap<>(env(server.url()).vars());
            vars.remove("WATCHTOWER_CLAUDE_BIN");
            vars.put("PATH", Ctl.bin(dir) + ":" + Path.of(realProgram("tmux")).getParent()); // tmux, and no claude
            var noClaude = Ctl.run(new CtlEnv(vars, dir.resolve("home"), dir, false, System.in), "launch", "--detach",
                    "--cwd", project.toString());
            assertEquals(1, noClaude.code(), noClaude.toString());
            assertTrue(noClaude.err().contains("claude (Claude Code) is not on PATH"), noClaude.err());
            assertTrue(noClaude.err().contains("hint: install it"), noClaude.err());

            // (wtctl also bundles the personas, so the folder named here is what can be missing)
            var noPersonas = new HashMap<>(env(server.url()).vars());
            noPersonas.put("WATCHTOWER_PERSONAS", Files.createDirectories(dir.resolve("empty-personas")).toString());
            var noSource = Ctl.run(new CtlEnv(noPersonas, dir.resolve("home"), dir, false, System.in), "launch",
                    "--detach", "--cwd", project.toString());
            assertEquals(1, noSource.code(), noSource.toString());
            assertTrue(noSource.err().contains("WATCHTOWER_PERSONAS has no professional.json"), noSource.err());

            assertFalse(Files.exists(project.resolve(".uv-suite-state")), "no metadata written");
            assertFalse(Files.exists(project.resolve(".claude")), "no persona written");
            assertTrue(tmux("list-sessions").startsWith("failed"), "no tmux session started");
            assertEquals(0, server.api().get("/sessions").json().size(), "nothing registered");
        }
    }

    // --- infra ---

    /** wtctl's environment: the server, its token folder, the private socket, the stub, the repository's personas. */
    CtlEnv env(String url) {
        var path = Ctl.bin(dir) + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Ctl.env(dir, url, dir.resolve("server/uvs"), Map.of("PATH", path, "WATCHTOWER_TMUX_SOCKET", socket,
                "WATCHTOWER_CLAUDE_BIN", claude.toString(), "WATCHTOWER_PERSONAS", Repo.root().resolve("personas").toString()));
    }

    /** What the stub recorded, once it has started. */
    List<String> argv(String id) throws Exception {
        var raw = Files.readString(awaitRun(id).resolve("argv"), UTF_8);
        return List.of(raw.substring(0, raw.length() - 1).split("\0", -1));
    }

    String read(String id, String what) throws Exception {
        var text = Files.readString(awaitRun(id).resolve(what), UTF_8);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    Path awaitRun(String id) throws InterruptedException {
        var run = stubs.resolve("runs").resolve(id);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(run.resolve("argv"))) {
            assertTrue(System.nanoTime() < end, "the stub claude of " + id + " did not start");
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return run;
    }

    static List<String> hookUrls(JsonNode settings) {
        var out = new ArrayList<String>();
        settings.path("hooks").forEach(groups -> groups.forEach(g -> g.path("hooks").forEach(h -> {
            if (h.path("type").asText().equals("http")) out.add(h.path("url").asText());
        })));
        return out;
    }

    /** Runs tmux on the test's socket: "ok <output>" or "failed <output>". */
    String tmux(String... args) {
        var cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            var out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "tmux hung");
            return (p.exitValue() == 0 ? "ok " : "failed ") + out;
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String realProgram(String name) {
        for (var d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) return Path.of(d, name).toString();
        }
        return null;
    }
}
