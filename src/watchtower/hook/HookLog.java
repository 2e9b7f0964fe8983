package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The hook's only voice: plain lines appended to {@code $UVS_HOME/wthook.log}, because
 * Claude Code reads the hook's stdout and stderr. Bounded: past {@code maxBytes} the file
 * becomes {@code wthook.log.1} (replacing the previous one). Callers log what went wrong,
 * never payloads, which carry prompts and commands. Logging itself never fails the hook.
 */
public final class HookLog {
    public static final long DEFAULT_MAX_BYTES = 1 << 20;

    private final Path file;
    private final long maxBytes;
    private final String command;

    public HookLog(Path file, long maxBytes, String command) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.command = command;
    }

    public void warn(String message) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.isRegularFile(file) && Files.size(file) > maxBytes) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            // the pid only here: ProcessHandle starts a thread pool, too dear for every run
            var line = Instant.now() + " pid=" + ProcessHandle.current().pid() + " " + command + ": "
                    + message.replace('\n', ' ') + "\n";
            Files.writeString(file, line, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            // nowhere left to report it: stdout and stderr belong to Claude Code
        }
    }
}
