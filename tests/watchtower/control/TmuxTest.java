package watchtower.control;

import watchtower.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.PrivateTmux;

/** Which tmux sessions Tmux addresses, and how it starts programs, on a private socket. */
class TmuxTest {
    @TempDir
    Path dir;
    final PrivateTmux tmux = new PrivateTmux();

    @AfterEach
    void stopTmux() {
        tmux.close();
    }

    @Test
    void targetsMatchExactlyNeverByPrefix() {
        tmux.start("uvs_abc", dir, List.of("sleep", "60"));
        var ours = tmux.tmux();
        assertTrue(ours.has("abc"));
        assertFalse(ours.has("ab"), "tmux alone would resolve uvs_ab to uvs_abc");
        assertFalse(ours.kill("ab"));
        assertTrue(tmux.sessions().contains("uvs_abc"));
    }

    @Test
    void idsWithADotAreNeverTmuxSessions() {
        tmux.start("uvs_a_b", dir, List.of("sleep", "60")); // what tmux makes of "uvs_a.b"
        assertEquals(Optional.empty(), Tmux.sessionName("a.b"));
        assertFalse(tmux.tmux().has("a.b"));
        assertFalse(tmux.tmux().kill("a.b"));
        assertTrue(tmux.sessions().contains("uvs_a_b"));
    }

    @Test
    void aLoneProgramIsExecutedNotHandedToAShell() throws Exception {
        var odd = Files.createDirectories(dir.resolve("with space; touch " + dir.resolve("pwned") + "; x"));
        var program = odd.resolve("prog");
        Files.writeString(program, "#!/usr/bin/env bash\necho ran > \"$(dirname \"$0\")/marker\"\nexec sleep 60\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        var result = tmux.tmux().start("lone", dir, Map.of("UVS_SESSION_ID", "lone"), List.of(program.toString()));
        assertTrue(result.ok(), result.output());
        Eventually.until("the program to run", () -> Files.exists(odd.resolve("marker")), done -> done);
        assertFalse(Files.exists(dir.resolve("pwned")), "no shell parsed the path");
    }

    @Test
    void withoutATmuxServerNothingIsOwned() {
        var ours = tmux.tmux();
        assertFalse(ours.has("abc"));
        assertEquals(List.of(), ours.sessionNames());
        assertEquals(Optional.empty(), ours.capture("abc"));
        assertFalse(ours.sendKeys("abc", "Enter"));
    }

    @Test
    void anArgumentEndingInASemicolonStaysWhole() {
        // regression: tmux takes a trailing ';' as a command separator, which cut such a task short
        var out = dir.resolve("ran");
        var result = tmux.tmux().start("semi", dir, Map.of(), List.of("sh", "-c", "echo ok > \"$0\"; sleep 60;", out.toString()));
        assertTrue(result.ok(), result.output());
        Eventually.until("the whole script to run", () -> Files.exists(out), done -> done);
    }
}
