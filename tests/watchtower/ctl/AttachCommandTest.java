package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.TestServer;

/** attach runs tmux from PATH with an argument list; a fake tmux records what it was given. */
class AttachCommandTest {
    @TempDir
    Path dir;
    Path argsFile;

    @BeforeEach
    void fakeTmux() throws Exception {
        argsFile = dir.resolve("tmux.args");
        Ctl.fakeProgram(dir, "tmux", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + argsFile + "'\nexit 0");
    }

    @Test
    void attachesToTheServersTargetFoundByPrefix() throws Exception {
        try (var server = TestServer.start(dir)) {
            assertEquals(200, server.api().post("/sessions/register", obj("id", "att0001xyz", "tmux_target", "uvs_att0001xyz")).status());
            var r = Ctl.run(Ctl.env(dir, server.url(), dir.resolve("uvs")), "attach", "att0001");
            assertEquals(0, r.code(), r.toString());
            assertEquals("-L\nuvs\nattach\n-t\n=uvs_att0001xyz\n", Files.readString(argsFile));
        }
    }

    @Test
    void withTheServerDownTheIdAsTypedIsUsed() throws Exception {
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), dir.resolve("uvs")), "attach", "abc123");
        assertEquals(0, r.code(), r.toString());
        assertEquals("-L\nuvs\nattach\n-t\n=uvs_abc123\n", Files.readString(argsFile));
    }

    @Test
    void theServersTmuxSocketIsHonoured() throws Exception {
        var env = Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), dir.resolve("uvs"),
                java.util.Map.of("WATCHTOWER_TMUX_SOCKET", "uvs_test1"));
        assertEquals(0, Ctl.run(env, "attach", "abc123").code());
        assertEquals("-L\nuvs_test1\nattach\n-t\n=uvs_abc123\n", Files.readString(argsFile));
        var bad = Ctl.env(dir, "http://127.0.0.1:1", dir.resolve("uvs"), java.util.Map.of("WATCHTOWER_TMUX_SOCKET", "../x"));
        assertEquals(1, Ctl.run(bad, "attach", "abc123").code());
    }

    @Test
    void tmuxExitCodeIsPassedOn() throws Exception {
        Ctl.fakeProgram(dir, "tmux", "exit 1");
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:" + Ctl.closedPort(), dir.resolve("uvs")), "attach", "abc123");
        assertEquals(1, r.code());
    }

    @Test
    void sessionOutsideTmuxIsRefused() throws Exception {
        try (var server = TestServer.start(dir)) {
            assertEquals(200, server.api().post("/events", obj("session_id", "plain0001", "event_type", "Stop")).status());
            var r = Ctl.run(Ctl.env(dir, server.url(), dir.resolve("uvs")), "attach", "plain0001");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("does not run in Watchtower's tmux"), r.err());
            assertTrue(Files.notExists(argsFile), "tmux was not run");
        }
    }

    @Test
    void idThatCouldEscapeIsAUsageErrorAndTmuxIsNotRun() {
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:1", dir.resolve("uvs")), "attach", "x:0.1;rm");
        assertEquals(2, r.code());
        assertTrue(Files.notExists(argsFile));
    }

    @Test
    void missingTmuxIsExplained() throws Exception {
        Files.delete(Ctl.bin(dir).resolve("tmux"));
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:1", dir.resolve("uvs")), "attach", "abc");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("wtctl: tmux is not installed"), r.err());
    }
}
