package watchtower.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The per-install secret in {@code <data dir>/token}: created on first start with mode 0600,
 * and refused when anyone but its owner can read it, because whoever holds it can approve
 * shell commands. Compared in constant time.
 */
public final class InstallSecret {
    public static final String FILE_NAME = "token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String value;

    private InstallSecret(String value) {
        this.value = value;
    }

    /** Loads the token, creating it if missing; throws with a clear message if it is unsafe. */
    public static InstallSecret loadOrCreate(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        var file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            var bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: read theirs below
            }
        }
        return new InstallSecret(read(file));
    }

    static String read(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) throw new IOException(file + " is a symlink; refusing to use it as the install token");
        var perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(p -> !OWNER_ONLY.contains(p))) {
            throw new IOException(file + " can be read by others (mode " + PosixFilePermissions.toString(perms)
                    + "); run: chmod 600 " + file);
        }
        var value = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (value.length() < 32) throw new IOException(file + " is too short to be a token; delete it to make a new one");
        return value;
    }

    public String value() {
        return value;
    }

    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                presented.trim().getBytes(StandardCharsets.UTF_8));
    }
}
