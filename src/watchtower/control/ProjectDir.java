package watchtower.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import watchtower.http.ApiError;

/**
 * Folders and files we write under a session's cwd ({@code uv-out/...},
 * {@code .uv-suite-state/...}). The cwd came from a client, so: it must be an existing absolute
 * directory; each folder on the way is created if missing and refused if it is a symlink that
 * leads outside the cwd; the final folder's real path must lie inside the cwd's real path; and
 * files are written to a temporary name and renamed into place, which replaces a symlink at
 * the destination instead of writing through it.
 */
final class ProjectDir {
    private ProjectDir() {}

    /** The real path of a usable cwd; 409 with the reason otherwise. */
    static Path root(String cwd, String forWhat) {
        if (cwd == null || cwd.isBlank()) throw ApiError.conflict("session has no cwd; cannot " + forWhat);
        Path p;
        try {
            p = Path.of(cwd);
        } catch (InvalidPathException e) {
            throw ApiError.conflict("session cwd is not a valid path; cannot " + forWhat);
        }
        if (!p.isAbsolute()) throw ApiError.conflict("session cwd is not an absolute path; cannot " + forWhat);
        if (!Files.isDirectory(p)) throw ApiError.conflict("session cwd " + cwd + " is not an existing directory; cannot " + forWhat);
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw ApiError.conflict("session cwd " + cwd + " cannot be resolved; cannot " + forWhat);
        }
    }

    /** {@code root/components...}, created as needed, guaranteed to be a real directory inside root. */
    static Path ensureDir(Path root, String forWhat, String... components) {
        var dir = root;
        try {
            for (var name : components) {
                dir = dir.resolve(name);
                if (Files.isSymbolicLink(dir)) {
                    var target = dir.toRealPath();
                    if (!target.startsWith(root)) throw escape(root, dir, forWhat);
                } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw ApiError.conflict(root.relativize(dir) + " exists and is not a folder; cannot " + forWhat);
                }
                if (!Files.exists(dir)) Files.createDirectory(dir);
            }
            var real = dir.toRealPath();
            if (!real.startsWith(root) || !Files.isDirectory(real)) throw escape(root, dir, forWhat);
            return real;
        } catch (IOException e) {
            throw ApiError.conflict("cannot create " + root.relativize(dir) + " under the session cwd (" + e.getClass().getSimpleName() + "); cannot " + forWhat);
        }
    }

    /** Writes {@code name} in {@code dir} whole or not at all; a symlink named {@code name} is replaced. */
    static Path write(Path dir, String name, String content) throws IOException {
        var target = dir.resolve(name);
        var tmp = Files.createTempFile(dir, "." + name + "-", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static ApiError escape(Path root, Path dir, String forWhat) {
        return ApiError.conflict(root.relativize(dir) + " under the session cwd is a symlink to a folder outside it; refusing to " + forWhat);
    }
}
