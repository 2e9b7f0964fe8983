package watchtower.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.store.SessionsStore;
import watchtower.testing.Api;
import watchtower.testing.PrivateTmux;
import watchtower.testing.TestServer;

/** POST /sessions/{id}/close: checkpoint, then stop the agent (our tmux session, or its verified pid). */
class CloseTest {
    @TempDir
    Path dir;
    final PrivateTmux tmux = new PrivateTmux();
    TestServer server;
    Api api;
    Process child;

    @BeforeEach
    void start() throws Exception {
        tmux.install();
        server = TestServer.start(dir.resolve("server"));
        api = server.api();
    }

    @AfterEach
    void stop() {
        if (child != null) child.destroyForcibly();
        server.close();
        tmux.close();
    }

    @Test
    void closingAnOwnedSessionKillsItsTmuxSessionAfterTheCheckpoint() throws Exception {
        api.post("/sessions/register", obj("id", "c1", "tmux_target", "uvs_c1", "cwd", dir.toString()));
        tmux.start("uvs_c1", dir, List.of("sleep", "60"));
        var reply = api.post("/sessions/c1/close", obj());
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().path("ok").asBoolean());
        assertEquals("tmux", reply.json().path("terminated_via").asText());
        assertFalse(tmux.sessions().contains("uvs_c1"), "gone from tmux ls");
        var checkpoint = Path.of(reply.json().path("checkpoint").asText());
        assertTrue(Files.readString(checkpoint).contains("# Checkpoint: c1"));
        var session = api.get("/sessions/c1").json();
        assertEquals("terminated", session.path("state").asText());
        assertFalse(session.path("ended_at").isNull(), "ended_at is stamped");
    }

    @Test
    void aProcessCarryingTheSessionIdInItsEnvironmentGetsSigterm() throws Exception {
        child = start(List.of("sleep", "60"), "c2");
        api.post("/sessions/register", obj("id", "c2", "pid", child.pid(), "cwd", dir.toString()));
        var reply = api.post("/sessions/c2/close", obj());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("pid", reply.json().path("terminated_via").asText());
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the process ended");
        assertEquals(128 + 15, child.exitValue(), "killed by SIGTERM");
        assertEquals("terminated", api.get("/sessions/c2").json().path("state").asText());
    }

    @Test
    void anUnrelatedProcessIsRefusedAndNothingChanges() throws Exception {
        child = start(List.of("sleep", "60"), null); // the test's own sleep, no UVS_SESSION_ID
        api.post("/sessions/register", obj("id", "c3", "pid", child.pid(), "cwd", dir.toString()));
        var reply = api.post("/sessions/c3/close", obj());
        assertEquals(409, reply.status(), reply.body());
        assertTrue(reply.detail().contains("not session c3's process"), reply.detail());
        assertTrue(child.isAlive(), "not signalled");
        assertEquals("active", api.get("/sessions/c3").json().path("state").asText());
        assertFalse(Files.exists(dir.resolve("uv-out")), "no checkpoint either: a refused close changes nothing");
    }

    @Test
    void pidOneIsRefused() {
        // a reference database can hold anything; registration itself refuses pid <= 1
        server.server().store().writer().execute(tx -> server.server().store().sessions().upsert(tx,
                new SessionsStore.Upsert("c4", null, null, null, null, null, dir.toString(), null, null, 1L, null, null,
                        null, null, null)));
        var reply = api.post("/sessions/c4/close", obj());
        assertEquals(409, reply.status(), reply.body());
        assertTrue(reply.detail().contains("pid 1"), reply.detail());
    }

    @Test
    void aProcessThatIsGoneIsReportedAndTheSessionStillCloses() throws Exception {
        child = start(List.of("true"), "c5");
        long pid = child.pid();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        api.post("/sessions/register", obj("id", "c5", "pid", pid, "cwd", dir.toString()));
        var reply = api.post("/sessions/c5/close", obj());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("pid_gone", reply.json().path("terminated_via").asText());
    }

    @Test
    void withoutACwdTheSessionClosesAndSaysWhyThereIsNoCheckpoint() {
        api.post("/sessions/register", obj("id", "c6"));
        var reply = api.post("/sessions/c6/close", obj());
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.json().path("checkpoint").isNull());
        assertTrue(reply.json().path("terminated_via").isNull(), "nothing to stop: no tmux session, no pid");
        assertTrue(reply.json().path("checkpoint_error").asText().contains("no cwd"));
        assertEquals("terminated", api.get("/sessions/c6").json().path("state").asText());
    }

    @Test
    void closingExpiresThePendingApproval() {
        api.post("/sessions/register", obj("id", "c7", "cwd", dir.toString()));
        var approval = api.post("/approvals", obj("session_id", "c7", "tool_name", "Bash", "command", "ls")).json().path("id").asLong();
        api.post("/sessions/c7/close", obj());
        var decided = api.post("/approvals/" + approval + "/decide", obj("decision", "approve"));
        assertEquals(409, decided.status(), "no longer pending: " + decided.body());
    }

    // --- infra ---

    private Process start(List<String> argv, String sessionId) throws Exception {
        var pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("UVS_SESSION_ID");
        if (sessionId != null) pb.environment().put("UVS_SESSION_ID", sessionId);
        return pb.start();
    }
}
