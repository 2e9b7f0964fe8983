package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tail and events -f against a real WebSocket (the project's Hub behind a stand-in server that
 * checks the token and the absence of an Origin, as the real guard does). LiveServerTest runs
 * the same against the real server's /live.
 */
class LiveCommandsTest {
    static final String EVENT = """
            {"type":"event","session_id":"3f2a9c1e0b7d","event_type":"PreToolUse","tool_name":"Bash",\
            "command":"make test","id":41,"created_at":"2026-11-02 14:03:07"}""";

    @TempDir
    Path dir;
    FakeServer fake;
    CtlEnv env;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeServer();
        env = Ctl.env(dir, fake.url(), Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void tailPrintsOneLinePerMessageAndEndsWith3WhenTheServerGoes() throws Exception {
        try (var tail = new Background(env, "tail")) {
            tail.awaitErr("following " + fake.url());
            fake.hub.broadcast(EVENT);
            fake.hub.broadcast("{\"type\":\"approval\",\"id\":12,\"session_id\":\"3f2a9c1e0b7d\",\"tool_name\":\"Bash\","
                    + "\"command\":\"rm -rf build\",\"status\":\"pending\"}");
            fake.hub.broadcast("{\"type\":\"session\",\"session_id\":\"77aa000011112222\",\"state\":\"idle\"}");
            tail.awaitOut("state idle");
            fake.close();
            assertEquals(3, tail.awaitExit());
            var lines = tail.out.toString().lines().toList();
            assertEquals(3, lines.size(), tail.out.toString());
            assertEquals("14:03:07  3f2a9c1e  PreToolUse          Bash        make test", lines.get(0));
            assertTrue(lines.get(1).matches("\\d\\d:\\d\\d:\\d\\d  3f2a9c1e  approval 12 pending  Bash: rm -rf build"), lines.get(1));
            assertTrue(lines.get(2).matches("\\d\\d:\\d\\d:\\d\\d  77aa0000  session state idle"), lines.get(2));
            assertFalse(tail.out.toString().contains("\u001b["), "no colour without a terminal");
            assertTrue(tail.err.toString().contains("wtctl: the server closed the live stream (1001"), tail.err.toString());
        }
        var upgrade = fake.requests.stream().filter(r -> r.path().equals("/live")).findFirst().orElseThrow();
        assertEquals(FakeServer.TOKEN, upgrade.header("X-UVS-Token"));
        assertNull(upgrade.header("Origin"), "a program sends no Origin");
    }

    @Test
    void tailJsonPrintsEachMessageAsOneLine() throws Exception {
        try (var tail = new Background(env, "tail", "--json")) {
            tail.awaitErr("following");
            fake.hub.broadcast(EVENT);
            tail.awaitOut("make test");
            fake.close();
            assertEquals(3, tail.awaitExit());
            assertEquals(EVENT + "\n", tail.out.toString());
        }
    }

    @Test
    void tailColoursOnlyForAPersonAtATerminal() throws Exception {
        try (var tail = new Background(Ctl.interactive(env, ""), "tail")) {
            tail.awaitErr("following");
            fake.hub.broadcast(EVENT);
            tail.awaitOut("make test");
            assertTrue(tail.out.toString().contains("\u001b[36mPreToolUse"), tail.out.toString());
        }
        var noColor = Ctl.withVars(Ctl.interactive(env, ""), java.util.Map.of("NO_COLOR", "1"));
        try (var tail = new Background(noColor, "tail")) {
            tail.awaitErr("following");
            fake.hub.broadcast(EVENT);
            tail.awaitOut("make test");
            assertFalse(tail.out.toString().contains("\u001b["), tail.out.toString());
        }
    }

    @Test
    void tailWithAWrongTokenIsRefused() throws Exception {
        var wrong = Ctl.env(dir, fake.url(), Ctl.uvsHomeWithToken(dir.resolve("other"), "0".repeat(64)));
        var r = Ctl.run(wrong, "tail");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("wtctl: the live stream needs the install token"), r.err());
    }

    @Test
    void tailOnAServerWithoutLiveSaysSo() throws Exception {
        try (var plain = new FakeServer(false)) {
            var r = Ctl.run(Ctl.env(dir, plain.url(), dir.resolve("uvs")), "tail");
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("this Watchtower has no live stream"), r.err());
        }
    }

    @Test
    void eventsFollowPrintsHistoryOldestFirstThenOnlyNewEventsOfThatSession() throws Exception {
        var sid = "3f2a9c1e0b7d";
        fake.reply("GET /sessions/" + sid, 200, "{\"id\":\"" + sid + "\"}")
                .reply("GET /sessions/" + sid + "/events", 200, """
                        [{"id":41,"session_id":"3f2a9c1e0b7d","event_type":"PreToolUse","tool_name":"Bash",\
                        "command":"make test","created_at":"2026-11-02 14:03:07"},
                         {"id":40,"session_id":"3f2a9c1e0b7d","event_type":"UserPromptSubmit",\
                        "payload":{"prompt":"run the tests"},"created_at":"2026-11-02 14:03:01"}]""");
        Background follow = new Background(env, "events", sid, "-f");
        try (follow) {
            follow.awaitErr("following " + sid);
            fake.hub.broadcast(EVENT); // id 41: already printed from the history
            fake.hub.broadcast("{\"type\":\"event\",\"session_id\":\"someone_else\",\"event_type\":\"Stop\",\"id\":42}");
            fake.hub.broadcast("{\"type\":\"event\",\"session_id\":\"" + sid + "\",\"event_type\":\"PostToolUse\","
                    + "\"tool_name\":\"Bash\",\"command\":\"make test\",\"id\":43,\"created_at\":\"2026-11-02 14:03:09\"}");
            follow.awaitOut("PostToolUse");
            fake.close();
            assertEquals(3, follow.awaitExit());
        }
        assertEquals("""
                2026-11-02 14:03:01  UserPromptSubmit    -           run the tests
                2026-11-02 14:03:07  PreToolUse          Bash        make test
                2026-11-02 14:03:09  PostToolUse         Bash        make test
                """, follow.out.toString());
    }
}
