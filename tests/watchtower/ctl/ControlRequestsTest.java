package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;

/**
 * What the control commands send (method, path, JSON body, token) and how they show the reply,
 * against a stand-in server answering as the contract says. ControlCommandsTest runs the same
 * commands against the real server.
 */
class ControlRequestsTest {
    static final String SID = "3f2a9c1e0b7d";
    static final String SESSION = "{\"id\":\"" + SID + "\",\"name\":\"parser\",\"state\":\"active\",\"tmux_target\":\"uvs_" + SID + "\"}";

    @TempDir
    Path dir;
    FakeServer fake;
    CtlEnv env;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeServer().reply("GET /sessions/" + SID, 200, SESSION);
        env = Ctl.env(dir, fake.url(), Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void checkpointPostsAndPrintsThePath() throws Exception {
        fake.reply("POST /sessions/" + SID + "/checkpoint", 200, "{\"path\":\"/p/uv-out/sessions/x/checkpoints/manual.md\"}");
        var r = Ctl.run(env, "checkpoint", SID);
        assertEquals(0, r.code(), r.toString());
        assertEquals("checkpoint written: /p/uv-out/sessions/x/checkpoints/manual.md\n", r.out());
        assertJsonPost("/sessions/" + SID + "/checkpoint", "{}");
    }

    @Test
    void closeReportsHowTheAgentWasStopped() throws Exception {
        fake.reply("GET /sessions", 200, "[" + SESSION + ",{\"id\":\"other\"}]");
        fake.reply("POST /sessions/" + SID + "/close", 200, "{\"ok\":true,\"checkpoint\":\"/p/c.md\",\"terminated_via\":\"tmux\"}");
        var r = Ctl.run(env, "close", "3f2a");
        assertEquals(0, r.code(), r.toString());
        assertEquals("closed " + SID + " (stopped via tmux)\ncheckpoint: /p/c.md\n", r.out());
        assertJsonPost("/sessions/" + SID + "/close", "{}");
    }

    @Test
    void compactForkAndInputPostToTheirEndpoints() throws Exception {
        fake.reply("POST /sessions/" + SID + "/compact", 200, "{\"ok\":true}")
                .reply("POST /sessions/" + SID + "/fork", 200,
                        "{\"id\":\"child1\",\"name\":\"parser (fork)\",\"tmux_target\":\"uvs_child1\",\"parent_id\":\"" + SID + "\"}")
                .reply("POST /sessions/" + SID + "/input", 200, "{\"ok\":true}");
        assertEquals("sent /compact to " + SID + "\n", Ctl.run(env, "compact", SID).out());
        assertJsonPost("/sessions/" + SID + "/compact", "{}");

        var fork = Ctl.run(env, "fork", SID);
        assertEquals("forked " + SID + " as child1 (tmux uvs_child1)\nattach: wtctl attach child1\n", fork.out());
        assertJsonPost("/sessions/" + SID + "/fork", "{}");

        var input = Ctl.run(env, "input", SID, "run", "the \"tests\"");
        assertEquals(0, input.code(), input.toString());
        assertJsonPost("/sessions/" + SID + "/input", "{\"text\":\"run the \\\"tests\\\"\"}");
    }

    @Test
    void spawnSendsToolPersonaTaskAndThisFolder() throws Exception {
        fake.reply("POST /sessions/spawn", 200, "{\"id\":\"new1\",\"tmux_target\":\"uvs_new1\"}");
        var r = Ctl.run(env, "spawn", "--persona", "spike", "--task", "try it");
        assertEquals(0, r.code(), r.toString());
        assertEquals("spawned new1 (tmux uvs_new1)\nattach: wtctl attach new1\n", r.out());
        assertJsonPost("/sessions/spawn", Api.write(Api.obj("tool", "claude", "persona", "spike", "cwd", dir.toString(), "task", "try it")));

        Ctl.run(env, "spawn", "--tool", "codex", "--cwd", "sub/dir");
        assertJsonPost("/sessions/spawn", Api.write(Api.obj("tool", "codex", "cwd", dir.resolve("sub/dir").toString())));
    }

    @Test
    void controlJsonPrintsTheReplyUnchanged() {
        fake.reply("POST /sessions/spawn", 200, "{\"id\":\"new1\",\"tmux_target\":\"uvs_new1\"}");
        assertEquals("{\"id\":\"new1\",\"tmux_target\":\"uvs_new1\"}\n", Ctl.run(env, "spawn", "--json").out());
    }

    @Test
    void rmWithoutATerminalDeletesAtOnce() {
        fake.reply("DELETE /sessions/" + SID, 200, "{\"ok\":true}");
        var r = Ctl.run(env, "rm", SID);
        assertEquals(0, r.code(), r.toString());
        assertEquals("deleted " + SID + "\n", r.out());
        assertEquals(1, fake.requests("DELETE").size());
    }

    @Test
    void rmOnATerminalAsksAndANoChangesNothing() {
        fake.reply("DELETE /sessions/" + SID, 200, "{\"ok\":true}");
        var r = Ctl.run(Ctl.interactive(env, "n\n"), "rm", SID);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("Delete session " + SID + " (parser) and its events and approvals? [y/N]"), r.err());
        assertTrue(r.err().contains("cancelled"), r.err());
        assertTrue(fake.requests("DELETE").isEmpty());

        var yes = Ctl.run(Ctl.interactive(env, "y\n"), "rm", SID);
        assertEquals(0, yes.code(), yes.toString());
        assertEquals(1, fake.requests("DELETE").size());
    }

    @Test
    void rmYesSkipsTheQuestionOnATerminal() {
        fake.reply("DELETE /sessions/" + SID, 200, "{\"ok\":true}");
        var r = Ctl.run(Ctl.interactive(env, ""), "rm", SID, "--yes");
        assertEquals(0, r.code());
        assertEquals("", r.err());
    }

    @Test
    void cleanupWithoutATerminalOrYesIsRefusedAndSendsNothing() {
        var r = Ctl.run(env, "cleanup");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("pass --yes"), r.err());
        assertTrue(fake.requests.isEmpty());
    }

    @Test
    void cleanupAsksWithTheCountOnATerminal() {
        fake.reply("GET /sessions", 200, "[{\"id\":\"a\"},{\"id\":\"b\"}]").reply("POST /sessions/cleanup", 200, "{\"ok\":true,\"deleted\":2}");
        var no = Ctl.run(Ctl.interactive(env, "\n"), "cleanup");
        assertEquals(1, no.code());
        assertTrue(no.err().contains("Delete all 2 sessions"), no.err());
        assertTrue(fake.requests("POST").isEmpty());

        var yes = Ctl.run(Ctl.interactive(env, "yes\n"), "cleanup");
        assertEquals(0, yes.code(), yes.toString());
        assertEquals("deleted 2 sessions\n", yes.out());
        assertJsonPost("/sessions/cleanup", "{}");
    }

    @Test
    void cleanupYesNeedsNoTerminal() {
        fake.reply("POST /sessions/cleanup", 200, "{\"ok\":true,\"deleted\":0}");
        var r = Ctl.run(env, "cleanup", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertEquals("deleted 0 sessions\n", r.out());
    }

    @Test
    void refusedControlShowsTheDetail() {
        fake.reply("POST /sessions/" + SID + "/compact", 400, "{\"detail\":\"session not owned by Watchtower; run /compact in the terminal\"}");
        var r = Ctl.run(env, "compact", SID);
        assertEquals(1, r.code());
        assertEquals("wtctl: session not owned by Watchtower; run /compact in the terminal\n", r.err());
    }

    @Test
    void endpointMissingOnAnOlderServerSaysSo() {
        var r = Ctl.run(env, "fork", SID);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("hint: this Watchtower has no POST /sessions/" + SID + "/fork"), r.err());
    }

    private void assertJsonPost(String path, String body) {
        var posts = fake.requests("POST").stream().filter(p -> p.path().equals(path)).toList();
        assertTrue(!posts.isEmpty(), "no POST " + path + " in " + fake.requests);
        var last = posts.get(posts.size() - 1);
        assertEquals(body, last.body());
        assertEquals("application/json", last.header("Content-Type"));
        assertEquals(FakeServer.TOKEN, last.header("X-UVS-Token"));
    }
}
