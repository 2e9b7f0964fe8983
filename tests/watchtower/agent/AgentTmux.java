package watchtower.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import watchtower.testing.PrivateTmux;

/**
 * A private tmux server (a PrivateTmux) standing for another machine's tmux, with the fake
 * agents that run in its panes: the agent under test runs its commands there, while the
 * server's own socket is a different one, so a key that reached this pane can only have come
 * through the agent.
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

    private final PrivateTmux tmux = new PrivateTmux();
    final String socket = tmux.socket;

    /** Starts {@code script} in session {@code name}, in {@code dir}, and waits for its first screen. */
    void start(String name, Path dir, String script, String ready) throws IOException {
        Files.createDirectories(dir);
        var file = dir.resolve("fake.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        tmux.start(name, dir, List.of("bash", file.toString(), dir.toString()));
        tmux.awaitPane(name, ready);
    }

    boolean has(String name) {
        return tmux.has(name);
    }

    String awaitPane(String name, String text) {
        return tmux.awaitPane(name, text);
    }

    @Override
    public void close() {
        tmux.close();
    }
}
