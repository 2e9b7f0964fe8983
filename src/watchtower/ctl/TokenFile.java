package watchtower.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Reads the install token ({@code $UVS_HOME/token}) the way the server does: a symlink or a file
 * anyone but its owner can read or write is refused, because whoever holds the token can approve
 * shell commands. A missing file is not an error here: reads work without it on loopback, and
 * the server names what is missing when a command needs it.
 */
public final class TokenFile {
    private static final EnumSet<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private TokenFile() {}

    public static Optional<String> read(Path file) {
        try {
            if (Files.isSymbolicLink(file)) {
                throw CtlError.failed(file + " is a symlink; refusing to read the install token through it",
                        "replace it with the file itself (mode 600)");
            }
            var perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw CtlError.failed(file + " can be read or changed by others (mode "
                        + PosixFilePermissions.toString(perms) + "); refusing to use it", "run: chmod 600 " + file);
            }
            var value = Files.readString(file, StandardCharsets.UTF_8).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): nothing to check the mode against
            return readPlain(file);
        } catch (IOException e) {
            throw CtlError.failed("cannot read the install token " + file + ": " + e.getMessage(), null);
        }
    }

    private static Optional<String> readPlain(Path file) {
        try {
            var value = Files.readString(file, StandardCharsets.UTF_8).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException e) {
            throw CtlError.failed("cannot read the install token " + file + ": " + e.getMessage(), null);
        }
    }
}
