package watchtower.control;

import watchtower.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import watchtower.http.ApiError;

/** Tying a pid to a session before signalling it, and SIGTERM then SIGKILL. */
class ProcessesTest {
    final List<Process> started = new ArrayList<>();
    final Processes processes = new Processes(Duration.ofMillis(300));

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aProcessIgnoringSigtermGetsSigkillAfterTheGracePeriod() throws Exception {
        // TERM ignored before exec stays ignored in sleep
        var p = start(List.of("bash", "-c", "trap '' TERM; exec sleep 60"), "sess-ignore-term");
        awaitExec(p);
        var handle = processes.verify(p.pid(), "sess-ignore-term").orElseThrow();
        processes.terminate(handle);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "still running after the grace period");
        assertEquals(128 + 9, p.exitValue(), "SIGKILL");
    }

    @Test
    void theSessionIdOnTheCommandLineAlsoTiesIt() throws Exception {
        var p = start(List.of("bash", "-c", "exec -a 'agent 0123456789abcdef' sleep 60"), null);
        awaitExec(p);
        assertTrue(processes.verify(p.pid(), "0123456789abcdef").isPresent());
        var refused = assertThrows(ApiError.class, () -> processes.verify(p.pid(), "0123456789abcde"));
        assertEquals(409, refused.status(), "a prefix of the id is not the id");
    }

    @Test
    void zeroNegativeOneAndOurselvesAreRefused() {
        for (long pid : new long[] {0, -5, 1, ProcessHandle.current().pid()}) {
            var e = assertThrows(ApiError.class, () -> processes.verify(pid, "anything-long"), "pid " + pid);
            assertEquals(409, e.status());
        }
    }

    @Test
    void anotherUsersProcessIsRefusedEvenWithTheSessionIdInItsEnvironment() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name")),
                "needs root and setpriv to start a process as another user");
        var p = start(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sleep", "60"), "sess-other");
        Eventually.until("the uid switch", () -> {
            try {
                return Files.getAttribute(Path.of("/proc/" + p.pid()), "unix:uid");
            } catch (java.io.IOException e) {
                return -1;
            }
        }, uid -> uid.equals(65534));
        var e = assertThrows(ApiError.class, () -> processes.verify(p.pid(), "sess-other"));
        assertTrue(e.detail().contains("another user"), e.detail());
        assertTrue(p.isAlive());
    }

    @Test
    void idsAreMatchedAsWholeTokens() {
        assertTrue(Processes.namesId("--session=abcdef12", "abcdef12"));
        assertTrue(Processes.namesId("abcdef12", "abcdef12"));
        assertFalse(Processes.namesId("xabcdef12", "abcdef12"));
        assertFalse(Processes.namesId("abcdef123", "abcdef12"));
    }

    // --- infra ---

    /** Until bash has exec'd sleep (and set up its trap before that). */
    // During execve the kernel points /proc/<pid>/exe at the new program before it lays out the
    // new argv and environment, so wait for the command line of sleep itself, not only its exe.
    private static void awaitExec(Process p) {
        Eventually.until("the exec of sleep", () -> ProcessHandle.of(p.pid()).flatMap(h -> h.info().command()).orElse(""),
                c -> c.endsWith("/sleep"));
        Eventually.until("sleep's command line", () -> cmdline(p.pid()), c -> c.endsWith("\u000060\u0000") || c.endsWith(" 60"));
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Process start(List<String> argv, String sessionId) throws Exception {
        var pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("UVS_SESSION_ID");
        if (sessionId != null) pb.environment().put("UVS_SESSION_ID", sessionId);
        var p = pb.start();
        started.add(p);
        return p;
    }
}
