package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.TestServer;

/** doctor in a made-up home: fake jbang, tmux and claude on PATH, settings files, a real server. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    @Test
    void aCompleteSetupIsAllOk() throws Exception {
        try (var server = TestServer.start(dir)) {
            var home = completeHome(server.url());
            var r = Ctl.run(Ctl.env(dir, server.url(), dir.resolve("uvs"), Map.of("WATCHTOWER_DB", dir.resolve("db/w.db").toString())), "doctor");
            assertEquals(0, r.code(), r.toString());
            var lines = r.out().lines().toList();
            assertEquals(9, lines.size(), r.out());
            for (var line : lines) assertTrue(line.startsWith("ok    "), line);
            assertTrue(r.out().contains("jbang on PATH: " + Ctl.bin(dir).resolve("jbang")), r.out());
            assertTrue(r.out().contains("catalog uvs: " + dir.resolve("repo/jbang-catalog.json")), r.out());
            assertTrue(r.out().contains("tmux 3.4"), r.out());
            assertTrue(r.out().contains("Claude Code 2.1.0 (Claude Code)"), r.out());
            assertTrue(r.out().contains("server at " + server.url() + " (Watchtower "), r.out());
            assertTrue(r.out().contains("hooks in " + home.resolve(".claude/settings.json") + " (http hooks)"), r.out());
            assertTrue(r.out().contains("install token " + dir.resolve("uvs/token") + " (mode 600)"), r.out());
            assertTrue(r.out().contains("database " + dir.resolve("db/w.db") + " (created on first start)"), r.out());
        }
    }

    @Test
    void anEmptyMachineGetsAFixForEveryLineAndFailsOnTheServer() throws Exception {
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), dir.resolve("uvs")), "doctor");
        assertEquals(1, r.code(), r.toString());
        var out = r.out();
        assertTrue(out.contains("fail  jbang not found  (install JBang"), out);
        assertTrue(out.contains("warn  no catalog registered as uvs"), out);
        assertTrue(out.contains("(jbang catalog add -g --name uvs"), out);
        assertTrue(out.contains("warn  tmux not found  (install tmux"), out);
        assertTrue(out.contains("warn  Claude Code (claude) not found  (npm install -g @anthropic-ai/claude-code)"), out);
        assertTrue(out.contains("fail  no server at http://127.0.0.1:"), out);
        assertTrue(out.contains("jbang watchtower@uvs"), out);
        assertTrue(out.contains("warn  no Watchtower hooks"), out);
        assertTrue(out.contains("warn  no install token at " + dir.resolve("uvs/token")), out);
        for (var line : out.lines().toList()) {
            assertTrue(line.startsWith("ok    ") || line.endsWith(")"), "a problem line says how to fix it: " + line);
        }
    }

    @Test
    void hooksPostingToAnotherServerAreAWarning() throws Exception {
        try (var server = TestServer.start(dir)) {
            completeHome("http://127.0.0.1:9999");
            var r = Ctl.run(Ctl.env(dir, server.url(), dir.resolve("uvs")), "doctor");
            assertTrue(r.out().contains("post to http://127.0.0.1:9999, not to " + server.url()), r.out());
        }
    }

    @Test
    void projectSettingsWithWthookCount() throws Exception {
        try (var server = TestServer.start(dir)) {
            completeHome(server.url());
            Files.delete(dir.resolve("home/.claude/settings.json"));
            Files.createDirectories(dir.resolve(".claude"));
            Files.writeString(dir.resolve(".claude/settings.local.json"),
                    "{\"hooks\":{\"PreToolUse\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"jbang wthook@uvs send\"}]}]}}");
            var env = Ctl.env(dir, server.url(), dir.resolve("uvs"), Map.of("UVS_WATCHTOWER_URL", server.url()));
            var r = Ctl.run(env, "doctor");
            assertTrue(r.out().contains("ok    hooks in " + dir.resolve(".claude/settings.local.json") + " (wthook)"), r.out());
        }
    }

    @Test
    void anUnsafeTokenFails() throws Exception {
        var uvs = Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN);
        Files.setPosixFilePermissions(uvs.resolve("token"), PosixFilePermissions.fromString("rw-rw-r--"));
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), uvs), "doctor");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("fail  " + uvs.resolve("token") + " can be read or changed by others"), r.out());
        assertTrue(r.out().contains("(run: chmod 600 " + uvs.resolve("token") + ")"), r.out());
    }

    @Test
    void jsonListsEveryCheck() throws Exception {
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), dir.resolve("uvs")), "doctor", "--json");
        var checks = MiniJson.parseObjects(r.out());
        assertEquals(9, checks.size());
        assertEquals("ok", checks.get(0).get("level"));
        assertTrue(checks.stream().anyMatch(c -> "fail".equals(c.get("level")) && c.get("fix") != null));
    }

    @Test
    void loopbackNamesCountAsTheSameServer() {
        assertTrue(Doctor.sameServer("http://localhost:4200", "http://127.0.0.1:4200/"));
        assertTrue(Doctor.sameServer("http://[::1]:4200", "http://127.0.0.1:4200"));
        assertTrue(!Doctor.sameServer("http://127.0.0.1:4201", "http://127.0.0.1:4200"));
    }

    /** Fake programs, a registered catalog and hooks posting to {@code hookUrl}; returns the home folder. */
    private Path completeHome(String hookUrl) throws Exception {
        Ctl.fakeProgram(dir, "jbang", "exit 0");
        Ctl.fakeProgram(dir, "tmux", "echo 'tmux 3.4'");
        Ctl.fakeProgram(dir, "claude", "echo '2.1.0 (Claude Code)'");
        var home = dir.resolve("home");
        Files.createDirectories(home.resolve(".jbang"));
        var catalog = Files.createDirectories(dir.resolve("repo")).resolve("jbang-catalog.json");
        Files.writeString(catalog, "{\"aliases\":{}}");
        Files.writeString(home.resolve(".jbang/jbang-catalog.json"),
                "{\"catalogs\":{\"uvs\":{\"catalog-ref\":\"" + catalog + "\"}},\"aliases\":{}}");
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), "{\"hooks\":{\"PreToolUse\":[{\"hooks\":[{\"type\":\"http\","
                + "\"url\":\"" + hookUrl + "/hooks/claude\"}]}]}}");
        return home;
    }
}
