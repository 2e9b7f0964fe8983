package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import watchtower.testing.TestServer;

/** Every way wtctl can fail, each with its exit code, one clear line, and never a stack trace. */
class ErrorPathsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ls", "approvals", "show abc", "approve 3", "settings get", "events abc", "tail"})
    void serverDownIsExit3WithHowToStartIt(String command) throws Exception {
        var env = Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), dir.resolve("uvs"));
        var r = Ctl.run(env, command.split(" "));
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("wtctl: cannot reach Watchtower at http://127.0.0.1:"), r.err());
        assertTrue(r.err().contains("jbang watchtower@uvs") && r.err().contains("./jbang Watchtower.java"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void tokenFileOthersCanReadIsRefusedBeforeAnythingIsSent() throws Exception {
        try (var fake = new FakeServer()) {
            var home = Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN);
            Files.setPosixFilePermissions(home.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));
            var r = Ctl.run(Ctl.env(dir, fake.url(), home), "ls");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("can be read or changed by others (mode rw-r--r--)"), r.err());
            assertTrue(r.err().contains("hint: run: chmod 600 " + home.resolve("token")), r.err());
            assertTrue(fake.requests.isEmpty(), "nothing may be sent with an exposed token");
        }
    }

    @Test
    void tokenFileOthersCanWriteIsRefusedToo() throws Exception {
        var home = Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN);
        Files.setPosixFilePermissions(home.resolve("token"), PosixFilePermissions.fromString("rw--w----"));
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:1", home), "approve", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("mode rw--w----"), r.err());
    }

    @Test
    void symlinkedTokenIsRefused() throws Exception {
        var real = Ctl.uvsHomeWithToken(dir.resolve("real"), FakeServer.TOKEN).resolve("token");
        var home = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(home.resolve("token"), real);
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:1", home), "ls");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is a symlink"), r.err());
    }

    @Test
    void tokenIsSentAsHeaderAndNoOriginOrProxyIsInvolved() throws Exception {
        try (var fake = new FakeServer().reply("GET /sessions", 200, "[]").reply("GET /approvals", 200, "[]")) {
            var env = Ctl.env(dir, fake.url(), Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN),
                    Map.of("http_proxy", "http://127.0.0.1:1", "HTTP_PROXY", "http://127.0.0.1:1"));
            assertEquals(0, Ctl.run(env, "ls").code());
            var request = fake.requests.get(0);
            assertEquals(FakeServer.TOKEN, request.header("X-UVS-Token"));
            assertEquals(null, request.header("Origin"));
            assertEquals("/sessions?limit=1000", request.path());
        }
    }

    @Test
    void controlWithoutATokenFileExplainsWhereTheTokenShouldBe() throws Exception {
        try (var server = TestServer.start(dir)) {
            var pending = server.api().post("/approvals", watchtower.testing.Api.obj("session_id", "s1", "tool_name", "Bash"));
            var noToken = Files.createDirectories(dir.resolve("empty-uvs"));
            var r = Ctl.run(Ctl.env(dir, server.url(), noToken), "approve", pending.json().path("id").asText());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().startsWith("wtctl: install token required"), r.err());
            assertTrue(r.err().contains("hint: no install token at " + noToken.resolve("token")), r.err());
            assertEquals("pending", server.api().get("/approvals").json().get(0).path("status").asText());
        }
    }

    @Test
    void wrongTokenIsRefusedByTheServer() throws Exception {
        try (var server = TestServer.start(dir)) {
            var r = Ctl.run(Ctl.env(dir, server.url(), Ctl.uvsHomeWithToken(dir.resolve("x"), "0".repeat(64))),
                    "settings", "set", "terminal_app", "iterm");
            assertEquals(1, r.code());
            assertEquals("wtctl: invalid install token\n", r.err());
        }
    }

    @Test
    void unknownCommandIsUsageWithASuggestion() {
        var r = Ctl.run(Ctl.env(dir, null, dir), "lss");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unmatched argument at index 0: 'lss'"), r.err());
        assertTrue(r.err().contains("Did you mean: wtctl ls"), r.err());
        assertTrue(r.err().contains("See 'wtctl --help'."), r.err());
    }

    @Test
    void noCommandPrintsUsageToStderrAsAUsageError() {
        var r = Ctl.run(Ctl.env(dir, null, dir));
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Usage: wtctl") && r.err().contains("approve"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls --bogus", "show", "deny", "input abc", "settings set onlykey", "events a b",
            "spawn --tool vim", "ls --url foo", "ls --url ftp://x", "attach a/b"})
    void badArgumentsAreExit2(String args) {
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:1", dir), args.split(" "));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("wtctl: "), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void badUrlInTheEnvironmentIsAUsageError() {
        var r = Ctl.run(Ctl.env(dir, "localhost:4200", dir), "ls");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("invalid server URL 'localhost:4200'"), r.err());
    }

    @Test
    void answerThatIsNotJsonIsExplained() throws Exception {
        try (var fake = new FakeServer().reply("GET /sessions", 200, "<html>hello</html>")) {
            var r = Ctl.run(Ctl.env(dir, fake.url(), Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN)), "ls");
            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("wtctl: the server's answer is not the JSON wtctl expects"), r.err());
            assertNoStackTrace(r);
        }
    }

    @Test
    void serverErrorWithoutDetailShowsTheStatus() throws Exception {
        try (var fake = new FakeServer().reply("GET /sessions", 502, "")) {
            var r = Ctl.run(Ctl.env(dir, fake.url(), Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN)), "ls");
            assertEquals(1, r.code());
            assertEquals("wtctl: HTTP 502\n", r.err());
        }
    }

    @Test
    void detailWithTerminalEscapesIsDefused() throws Exception {
        try (var fake = new FakeServer().reply("GET /sessions", 400, "{\"detail\":\"bad \\u001b[2J input\"}")) {
            var r = Ctl.run(Ctl.env(dir, fake.url(), Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN)), "ls");
            assertEquals("wtctl: bad ?[2J input\n", r.err());
        }
    }

    static void assertNoStackTrace(Ctl.Result r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "stack trace leaked: " + r.err());
    }
}
