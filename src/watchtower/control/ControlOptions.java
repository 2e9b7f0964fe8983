package watchtower.control;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the control plane takes from its environment, read once when the server starts: the
 * tmux socket (system property {@code watchtower.tmux.socket}, env {@code WATCHTOWER_TMUX_SOCKET},
 * default {@code uvs}), where the agents' programs are (properties {@code watchtower.claude.bin}
 * and {@code watchtower.codex.bin}, env {@code WATCHTOWER_CLAUDE_BIN}/{@code WATCHTOWER_CODEX_BIN},
 * else PATH), and the terminal hints the reference used. The properties let tests in the same JVM
 * point the server at a private tmux socket and stub programs.
 */
public record ControlOptions(String tmuxSocket, Optional<String> claudeBin, Optional<String> codexBin,
                             String path, Optional<String> terminalHint, Optional<String> termProgram,
                             boolean macOs, Path defaultCwd) {
    private static final Pattern SOCKET = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ControlOptions {
        if (!SOCKET.matcher(tmuxSocket).matches()) {
            throw new IllegalArgumentException("tmux socket name must be 1-64 letters, digits, '_' or '-': " + tmuxSocket);
        }
    }

    public static ControlOptions fromEnvironment() {
        return new ControlOptions(
                setting("watchtower.tmux.socket", "WATCHTOWER_TMUX_SOCKET").orElse("uvs"),
                setting("watchtower.claude.bin", "WATCHTOWER_CLAUDE_BIN"),
                setting("watchtower.codex.bin", "WATCHTOWER_CODEX_BIN"),
                Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin"),
                Optional.ofNullable(System.getenv("UVS_TERMINAL")),
                Optional.ofNullable(System.getenv("TERM_PROGRAM")),
                System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("mac"),
                Path.of(System.getProperty("user.dir")));
    }

    /** The program for an agent: the override if set, else the first executable of that name on PATH. */
    public Optional<Path> program(String tool) {
        var override = tool.equals("codex") ? codexBin : claudeBin;
        if (override.isPresent()) return executable(override.get());
        return onPath(tool);
    }

    public Optional<Path> onPath(String name) {
        for (var dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue; // an empty entry means ".", which a server must not trust
            var found = executable(dir + File.separator + name);
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(String raw) {
        try {
            var p = Path.of(raw);
            if (!p.isAbsolute()) return Optional.empty();
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> setting(String property, String env) {
        var v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
