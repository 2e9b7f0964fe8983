package watchtower.control;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens a macOS terminal window attached to a new tmux session (the reference's AppleScript for
 * Terminal.app and iTerm), best effort: the preferred app first, then the other. Elsewhere it
 * does nothing and says so. The attach command is built from our socket name and a validated
 * session name, and escaped for the AppleScript string it sits in.
 */
public final class TerminalOpener {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ControlOptions options;

    public TerminalOpener(ControlOptions options) {
        this.options = options;
    }

    /** True if a window was opened. {@code preference} is the terminal_app setting (auto|terminal|iterm). */
    public boolean open(String tmuxSessionName, Optional<String> preference) {
        if (!options.macOs()) return false;
        var attach = attachCommand(options.tmuxSocket(), tmuxSessionName);
        var first = choose(preference, options.terminalHint(), options.termProgram());
        for (var app : first.equals("iterm") ? List.of("iterm", "terminal") : List.of("terminal", "iterm")) {
            if (Subprocess.run(command(app, attach), TIMEOUT).ok()) return true;
        }
        return false;
    }

    /** The setting, then UVS_TERMINAL, then the terminal Watchtower runs in, then Terminal.app. */
    static String choose(Optional<String> preference, Optional<String> uvsTerminal, Optional<String> termProgram) {
        for (var candidate : List.of(preference, uvsTerminal)) {
            var c = candidate.orElse("").strip().toLowerCase(Locale.ROOT);
            if (c.equals("iterm") || c.equals("iterm2")) return "iterm";
            if (c.equals("terminal") || c.equals("terminal.app") || c.equals("apple_terminal")) return "terminal";
        }
        return termProgram.filter("iTerm.app"::equals).isPresent() ? "iterm" : "terminal";
    }

    static String attachCommand(String socket, String tmuxSessionName) {
        return "tmux -L " + socket + " attach -t " + tmuxSessionName;
    }

    /** {@code osascript -e <script>}: the script is one argument, never passed through a shell. */
    static List<String> command(String app, String attach) {
        var quoted = appleScriptString(attach);
        var script = app.equals("iterm")
                ? "tell application \"iTerm\"\n"
                  + "  create window with default profile\n"
                  + "  tell current session of current window to write text " + quoted + "\n"
                  + "  activate\n"
                  + "end tell"
                : "tell application \"Terminal\" to do script " + quoted + "\n"
                  + "tell application \"Terminal\" to activate";
        return List.of("osascript", "-e", script);
    }

    private static String appleScriptString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
