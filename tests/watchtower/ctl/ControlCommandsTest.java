package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control commands against the real server (endpoints from the control plane: checkpoint,
 * close, compact, input, DELETE, cleanup). Sessions here run in no tmux and have no pid, so
 * nothing on the machine is touched. fork and spawn start real agents and are covered against
 * the stand-in server in ControlRequestsTest.
 */
class ControlCommandsTest extends RealServerFixture {
    static final String SID = "ctl0session01";

    Path project;

    @BeforeEach
    void start() throws Exception { // after the fixture's server is up
        project = Files.createDirectories(dir.resolve("project"));
        assertEquals(200, server.api().post("/events", obj("session_id", SID, "session_name", "ctl test",
                "cwd", project.toString(), "event_type", "UserPromptSubmit", "prompt", "hello")).status());
    }

    @Test
    void checkpointWritesAFileInTheSessionsFolder() {
        var r = Ctl.run(env, "checkpoint", SID);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("checkpoint written: "), r.out());
        var path = Path.of(r.out().substring("checkpoint written: ".length()).strip());
        assertTrue(path.startsWith(project.resolve("uv-out/sessions/" + SID + "/checkpoints")), path.toString());
        assertTrue(Files.isRegularFile(path), path + " exists");
    }

    @Test
    void closeTerminatesTheSessionAndKeepsItsRecord() {
        var r = Ctl.run(env, "close", SID);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("closed " + SID), r.out());
        assertEquals("terminated", server.api().get("/sessions/" + SID).json().path("state").asText());
    }

    @Test
    void compactAndInputOnASessionOutsideTmuxAreRefusedWithTheServersDetail() {
        var compact = Ctl.run(env, "compact", SID);
        assertEquals(1, compact.code(), compact.toString());
        assertTrue(compact.err().startsWith("wtctl: ") && compact.err().length() > "wtctl: \n".length(), compact.err());
        var input = Ctl.run(env, "input", SID, "hello");
        assertEquals(1, input.code(), input.toString());
    }

    @Test
    void rmDeletesTheSession() {
        var r = Ctl.run(env, "rm", SID);
        assertEquals(0, r.code(), r.toString());
        assertEquals(404, server.api().get("/sessions/" + SID).status());
        assertEquals(1, Ctl.run(env, "show", SID).code());
    }

    @Test
    void cleanupYesDeletesEverySession() {
        assertEquals(200, server.api().post("/events", obj("session_id", "second01", "event_type", "Stop")).status());
        var r = Ctl.run(env, "cleanup", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertEquals("deleted 2 sessions\n", r.out());
        assertEquals(0, server.api().get("/sessions").json().size());
    }

    @Test
    void unknownSessionIsRefusedBeforeAnyControlCall() {
        for (var cmd : new String[] {"checkpoint", "close", "compact", "fork", "rm"}) {
            var r = Ctl.run(env, cmd, "nosuch0000");
            assertEquals(1, r.code(), cmd + ": " + r);
            assertEquals("wtctl: session not found\n", r.err(), cmd);
        }
    }
}
