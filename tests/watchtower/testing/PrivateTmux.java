package watchtower.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import watchtower.control.Tmux;

/**
 * A tmux server of the test's own ({@code tmux -L wt-test-<random>}), so tests never touch the
 * user's tmux or the real {@code uvs} socket. {@link #install()} points a server started
 * afterwards at it; {@link #close()} kills the tmux server and clears the property. The control
 * tests and the agent tests (another machine's tmux) use it.
 */
public final class PrivateTmux implements AutoCloseable {
    public static final String PROPERTY = "watchtower.tmux.socket";

    public final String socket = "wt-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);

    public PrivateTmux install() {
        System.setProperty(PROPERTY, socket);
        return this;
    }

    public Tmux tmux() {
        return new Tmux(socket);
    }

    /** Starts {@code argv} (an argument list: more than one element, so tmux runs no shell) in session {@code name}. */
    public void start(String name, Path cwd, List<String> argv) {
        var cmd = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-c", cwd.toString(), "--"));
        cmd.addAll(argv);
        var r = run(cmd.toArray(String[]::new));
        if (r.exit != 0) throw new AssertionError("tmux new-session failed: " + r.output);
    }

    public boolean has(String name) {
        return run("has-session", "-t", "=" + name).exit == 0;
    }

    public String capture(String name) {
        return run("capture-pane", "-p", "-J", "-t", "=" + name + ":").output;
    }

    public void sendKeys(String name, String... keys) {
        var cmd = new ArrayList<>(List.of("send-keys", "-t", "=" + name + ":"));
        cmd.addAll(List.of(keys));
        run(cmd.toArray(String[]::new));
    }

    public List<String> sessions() {
        var r = run("list-sessions", "-F", "#{session_name}");
        return r.exit == 0 ? r.output.lines().filter(s -> !s.isBlank()).toList() : List.of();
    }

    /** Waits until the pane of {@code name} contains {@code text}; returns the pane. */
    public String awaitPane(String name, String text) {
        return Eventually.until("pane " + name + " to show '" + text + "'", () -> capture(name), p -> p.contains(text));
    }

    @Override
    public void close() {
        run("kill-server");
        if (socket.equals(System.getProperty(PROPERTY))) System.clearProperty(PROPERTY);
    }

    public record Run(int exit, String output) {}

    public Run run(String... args) {
        var argv = new ArrayList<>(List.of("tmux", "-L", socket));
        argv.addAll(List.of(args));
        try {
            var p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tmux " + args[0] + " hung");
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run tmux", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
