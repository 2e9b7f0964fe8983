package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private tmux server ({@code tmux -L wt-e2e-<random> -f /dev/null}) that a Watchtower under
 * test shares (its {@code watchtower.tmux.socket}), so the keys the server sends reach the
 * sessions a test started as {@code uvs_<id>}. The server starts with a small, known
 * environment, so nothing of whoever runs the tests (an ANTHROPIC_* or CLAUDECODE variable)
 * leaks into the agents. Unlike {@link Tmux}, a pane closes when its program exits, as on the
 * real {@code uvs} socket: "the session is gone" is something tests check. Public, because the
 * approval-latency benchmark drives sessions with it too.
 */
public final class TmuxServer implements AutoCloseable {
    private static final List<String> PASSED_ON = List.of("PATH", "USER", "LOGNAME");

    private final String socket = "wt-e2e-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));

    public String socket() {
        return socket;
    }

    /**
     * Starts {@code command} (an argument list, through {@code env}, so no shell) in a new
     * detached session named {@code session}, with {@code env} on top of the server's.
     */
    public void start(String session, Path cwd, Map<String, String> env, List<String> command) {
        var args = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                "-c", cwd.toString(), "--", "env"));
        env.forEach((k, v) -> args.add(k + "=" + v));
        args.addAll(command);
        run(args);
    }

    /** The pane's text, wrapped lines joined; empty when the session is gone. */
    public String capture(String session) {
        var r = tmux(List.of("capture-pane", "-p", "-J", "-t", pane(session)));
        return r.exit == 0 ? r.output : "";
    }

    /** Key names ({@code 1}, {@code Enter}, {@code Escape}). */
    public void sendKeys(String session, String... keys) {
        var args = new ArrayList<>(List.of("send-keys", "-t", pane(session)));
        args.addAll(List.of(keys));
        run(args);
    }

    /** Types {@code text} as it is, no key names. */
    public void type(String session, String text) {
        run(List.of("send-keys", "-t", pane(session), "-l", "--", text));
    }

    public boolean has(String session) {
        return tmux(List.of("has-session", "-t", "=" + session)).exit == 0;
    }

    /** The live sessions' names (none when the server is not running). */
    public List<String> sessions() {
        var r = tmux(List.of("list-sessions", "-F", "#{session_name}"));
        return r.exit == 0 ? r.output.lines().filter(s -> !s.isBlank()).toList() : List.of();
    }

    /** A pane variable such as {@code pane_pid} or {@code pane_current_path}. */
    public String paneValue(String session, String variable) {
        return run(List.of("display-message", "-p", "-t", pane(session), "#{" + variable + "}")).strip();
    }

    public void kill(String session) {
        tmux(List.of("kill-session", "-t", "=" + session));
    }

    /** Kills the server (every session on it) and removes its socket file, which tmux 3.3a leaves behind. */
    @Override
    public void close() {
        var r = tmux(List.of("display-message", "-p", "#{socket_path}"));
        tmux(List.of("kill-server"));
        var path = r.exit == 0 && !r.output.isBlank() ? Path.of(r.output.strip())
                : Path.of("/tmp", "tmux-" + uid(), socket);
        if (path.getFileName().toString().equals(socket)) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a stale socket file in /tmp is harmless
            }
        }
    }

    private static String pane(String session) {
        return "=" + session + ":"; // exact session name, its current window and active pane
    }

    private String run(List<String> args) {
        var r = tmux(args);
        if (r.exit != 0) throw new AssertionError("tmux " + args + " failed: " + r.output.strip());
        return r.output;
    }

    private record Result(int exit, String output) {}

    private Result tmux(List<String> args) {
        var cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(args);
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        var keep = new HashMap<String, String>();
        for (var k : PASSED_ON) if (System.getenv(k) != null) keep.put(k, System.getenv(k));
        pb.environment().clear();
        pb.environment().putAll(keep);
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("SHELL", "/bin/bash");
        try {
            var p = pb.start();
            p.getOutputStream().close();
            var out = new String(p.getInputStream().readAllBytes(), UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux " + args + " hung");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "0";
        }
    }
}
