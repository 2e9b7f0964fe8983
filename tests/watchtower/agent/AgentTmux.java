package watchtower.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import watchtower.testing.Eventually;

/**
 * A private tmux server ({@code tmux -L wt-agent-<random>}) standing for another machine's tmux:
 * the agent under test runs its commands there, while the server's own socket is a different
 * one, so a key that reached this pane can only have come through the agent.
 */
final class AgentTmux implements AutoCloseable {
    /** The permission widget as Claude Code draws it (CLAUDE-CODE.md section 2); 1 approves, Escape denies. */
    static final String WIDGET = """
            #!/usr/bin/env bash
            dir=$1
            : > "$dir/keys"
            idle() { printf '\\n❯\\xc2\\xa0\\n\\n  ⏸ manual mode on\\n'; }
            printf '%s\\n' ' Bash command' ' touch /tmp/demo-file' ' Do you want to proceed?' ' ❯ 1. Yes' \\
              '   2. Yes, and always allow access to /tmp from this project' '   3. No' ' Esc to cancel · Tab to amend'
            state=widget
            while IFS= read -rsn1 -d '' k; do
              printf -v hex '%02x' "'$k"; echo "$hex" >> "$dir/keys"
              [ "$state" = widget ] || continue
              case "$k" in
                1) printf '\\033[H\\033[2J'; echo APPROVED; idle; state=idle ;;
                $'\\e') printf '\\033[H\\033[2J'; echo DENIED; idle; state=idle ;;
              esac
            done
            """;

    /** Reads typed lines and appends each to {@code <dir>/lines}. */
    static final String LINES = """
            #!/usr/bin/env bash
            dir=$1
            printf 'ready\\n'
            while IFS= read -r line; do printf '%s\\n' "$line" >> "$dir/lines"; done
            """;

    final String socket = "wt-agent-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);

    /** Starts {@code script} in session {@code name}, in {@code dir}, and waits for its first screen. */
    void start(String name, Path dir, String script, String ready) throws IOException {
        Files.createDirectories(dir);
        var file = dir.resolve("fake.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        var r = run("new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-c", dir.toString(), "--",
                "bash", file.toString(), dir.toString());
        if (r.exit != 0) throw new AssertionError("tmux new-session failed: " + r.output);
        awaitPane(name, ready);
    }

    boolean has(String name) {
        return run("has-session", "-t", "=" + name).exit == 0;
    }

    String capture(String name) {
        return run("capture-pane", "-p", "-J", "-t", "=" + name + ":").output;
    }

    String awaitPane(String name, String text) {
        return Eventually.until("pane " + name + " to show '" + text + "'", () -> capture(name), p -> p.contains(text));
    }

    @Override
    public void close() {
        run("kill-server");
    }

    record Run(int exit, String output) {}

    Run run(String... args) {
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
