package watchtower.control;

import watchtower.testing.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import watchtower.testing.PrivateTmux;

/**
 * A stand-in for Claude Code in a tmux pane: a bash script that prints the real client's
 * permission widget (CLAUDE-CODE.md section 2, byte for byte) and reacts to single keys the way
 * the client does: {@code 1} approves, Escape denies, {@code 2} approves and adds a permanent
 * rule (what Watchtower must never send). It logs every key it reads, with the time, so tests
 * can see exactly what was typed and when.
 */
final class FakeAgent {
    static final String SCRIPT = """
            #!/usr/bin/env bash
            # usage: fake-agent.sh <dir> <mode> [swallow]
            #   widget: the Bash permission widget; 1 approves, Escape denies, 2 approves + adds a rule
            #   stuck:  the widget, and it never leaves whatever is typed
            #   idle:   only the idle input line (a finished turn: nothing to approve)
            #   lines:  reads typed lines and appends each to <dir>/lines
            # Keys go to <dir>/keys as "<hex> <epoch-us>". The first <swallow> keys after the widget
            # shows are dropped and logged as "swallowed <hex> <epoch-us>", as the real client loses
            # keys sent right after a session's first widget. Only builtins run per key, so the fake
            # answers within milliseconds even on a loaded machine.
            dir=$1 mode=$2 swallow=${3:-0}
            : > "$dir/keys"
            widget() {
              local t=$EPOCHREALTIME; echo "${t/./}" > "$dir/shown"   # before it is visible: a lower bound
              printf '%s\\n' ' Bash command' \\
                ' Tip: auto mode handles these prompts for you — choose "switch to auto mode" below' \\
                ' Probe command' \\
                ' touch /tmp/demo-file' \\
                ' Do you want to proceed?' \\
                ' ❯ 1. Yes' \\
                '   2. Yes, and always allow access to /tmp from this project' \\
                '   3. Yes, and switch to auto mode · auto mode handles these prompts for you' \\
                '   4. No' \\
                ' Esc to cancel · Tab to amend'
            }
            idle() { printf '\\n❯\\xc2\\xa0\\n\\n  ⏸ manual mode on\\n'; }
            if [ "$mode" = lines ]; then
              printf 'ready\\n'
              while IFS= read -r line; do printf '%s\\n' "$line" >> "$dir/lines"; done
              exit 0
            fi
            state=$mode
            if [ "$mode" = idle ]; then idle; else widget; fi
            while IFS= read -rsn1 -d '' k; do
              printf -v hex '%02x' "'$k"
              t=$EPOCHREALTIME; t=${t/./}
              if [ "$state" != idle ] && (( swallow > 0 )); then
                swallow=$(( swallow - 1 )); echo "swallowed $hex $t" >> "$dir/keys"; continue
              fi
              echo "$hex $t" >> "$dir/keys"
              [ "$state" = widget ] || continue
              case "$k" in
                1) printf '\\033[H\\033[2J'; echo APPROVED; idle; state=idle ;;
                $'\\e') printf '\\033[H\\033[2J'; echo 'DENIED (Interrupted · What should Claude do instead?)'; idle; state=idle ;;
                2) printf '\\033[H\\033[2J'; echo APPROVED-AND-ALWAYS-ALLOWED; idle; state=idle ;;
              esac
            done
            """;

    private final Path dir;

    private FakeAgent(Path dir) {
        this.dir = dir;
    }

    /** Starts the fake in tmux session {@code tmuxName} and waits until it shows its first screen. */
    static FakeAgent start(PrivateTmux tmux, String tmuxName, Path dir, String mode, int swallow) throws IOException {
        Files.createDirectories(dir);
        var script = dir.resolve("fake-agent.sh");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        tmux.start(tmuxName, dir, List.of("bash", script.toString(), dir.toString(), mode, Integer.toString(swallow)));
        tmux.awaitPane(tmuxName, switch (mode) {
            case "idle" -> "manual mode on";
            case "lines" -> "ready";
            default -> "Esc to cancel";
        });
        return new FakeAgent(dir);
    }

    record Key(String hex, long micros, boolean swallowed) {}

    /** Every key the fake has read so far, in order. */
    List<Key> keys() {
        try {
            var file = dir.resolve("keys");
            if (!Files.exists(file)) return List.of();
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
                var f = l.split(" ");
                return f[0].equals("swallowed") ? new Key(f[1], Long.parseLong(f[2]), true)
                        : new Key(f[0], Long.parseLong(f[1]), false);
            }).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    List<String> keyHexes() {
        return keys().stream().filter(k -> !k.swallowed()).map(Key::hex).toList();
    }

    /** When the widget was printed, in epoch microseconds. */
    long shownMicros() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("shown")).strip());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    List<String> lines() {
        try {
            var file = dir.resolve("lines");
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Types a sentinel key ourselves and waits until the fake has logged it: everything typed
     * before it has been read by then, so the log is complete up to that point.
     */
    List<Key> keysUpToSentinel(PrivateTmux tmux, String tmuxName) {
        tmux.sendKeys(tmuxName, "z");
        var all = Eventually.until("the fake to read the sentinel key", this::keys,
                ks -> ks.stream().anyMatch(k -> k.hex().equals("7a")));
        return all.subList(0, all.size() - 1);
    }
}
