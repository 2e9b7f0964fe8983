package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

/**
 * The per-install secret ({@code $UVS_HOME/token}) the hook sends as {@code X-UVS-Token}.
 * A file that group or others can read is ignored, not sent: a secret others can read is
 * no secret, and sending it anyway would hide the mistake. The server then answers 401/403
 * and the hook's log says why.
 */
final class SecretFile {
    private SecretFile() {}

    static Optional<String> read(Path file, HookLog log) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                var perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    log.warn("ignoring " + file + ": readable by group or others (chmod 600 it)");
                    return Optional.empty();
                }
            }
            var secret = Files.readString(file, UTF_8).trim();
            return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
        } catch (IOException e) {
            log.warn("cannot read " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
