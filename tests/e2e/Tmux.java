package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private tmux server for one test ({@code tmux -L wt-e2e-<random>}, no config file), so
 * nothing touches a person's sessions and {@link #close} can kill everything it started.
 * The server starts with a small, known environment: what the test does not pass on cannot
 * leak in (an ANTHROPIC_* or CLAUDECODE variable of whoever runs the tests). Panes stay
 * after their program exits, so a failing test can still show the last screen.
 */
final class Tmux implements AutoCloseable {
    private static final List<String> PASSED_ON = List.of("PATH", "USER", "LOGNAME");

    private final String socket = "wt-e2e-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private volatile Path socketPath;

    String socket() {
        return socket;
    }

    /** Starts {@code command} (an argument list, no shell) in a new detached session. */
    void start(String session, Path cwd, Map<String, String> env, List<String> command) {
        var args = new ArrayList<>(List.of("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                "new-session", "-d", "-s", session, "-x", "200", "-y", "50", "-c", cwd.toString(), "--", "env"));
        env.forEach((k, v) -> args.add(k + "=" + v));
        args.addAll(command);
        run(args);
        socketPath = Path.of(run(List.of("display-message", "-p", "#{socket_path}")).strip());
    }

    /** The pane's text, wrapped lines joined. */
    String capture(String session) {
        return run(List.of("capture-pane", "-p", "-J", "-t", session));
    }

    void sendKeys(String session, String... keys) {
        var args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        run(args);
    }

    /** Types {@code text} as it is (no key names). */
    void type(String session, String text) {
        run(List.of("send-keys", "-t", session, "-l", text));
    }

    /** The pid of the program in the session's pane. */
    long panePid(String session) {
        return Long.parseLong(run(List.of("display-message", "-p", "-t", session, "#{pane_pid}")).trim());
    }

    /** Kills the server and removes its socket file, which tmux 3.3a leaves behind. */
    @Override
    public void close() {
        try {
            run(List.of("kill-server"));
        } catch (AssertionError e) {
            // no server left: nothing to kill
        }
        var path = socketPath;
        if (path != null && path.getFileName().toString().equals(socket)) {
            try {
                java.nio.file.Files.deleteIfExists(path);
            } catch (IOException e) {
                // a stale socket file in /tmp is harmless
            }
        }
    }

    private String run(List<String> args) {
        var cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(args);
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        var env = pb.environment();
        var keep = new java.util.HashMap<String, String>();
        for (var k : PASSED_ON) if (System.getenv(k) != null) keep.put(k, System.getenv(k));
        env.clear();
        env.putAll(keep);
        env.put("LANG", "C.UTF-8");
        env.put("SHELL", "/bin/bash");
        try {
            var p = pb.start();
            var out = new String(p.getInputStream().readAllBytes(), UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux " + args + " hung");
            }
            if (p.exitValue() != 0) throw new AssertionError("tmux " + args + " failed: " + out.strip());
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
