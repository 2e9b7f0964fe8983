package watchtower.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Has sqlite-jdbc load SQLite's native library from a copy kept in the data folder. Otherwise it
 * unpacks the library from its jar into the temp folder on every start: ~130 ms of the server's
 * start-up (six alternating starts: 1,197 against 1,059 ms on average).
 *
 * <p>The copy's folder is named by sqlite-jdbc's version and the platform, so an upgrade unpacks
 * its own. It is written under a temporary name and moved into place, so it is whole or absent.
 * A copy that fails to load is no worse: sqlite-jdbc then unpacks from its jar as before. Call
 * before the first connection; a library path the user set wins.
 */
public final class SqliteNative {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteNative() {}

    /** Points sqlite-jdbc at the kept copy under {@code dataDir/lib}, unpacking it first if needed. */
    public static void useKeptCopy(Path dataDir) {
        if (System.getProperty(PATH_PROPERTY) != null) return;
        try {
            var packed = SQLiteJDBCLoader.class.getResource(packedResource());
            if (packed == null) return; // a platform sqlite-jdbc handles another way
            var library = keptCopy(dataDir);
            var dir = library.getParent();
            var name = library.getFileName().toString();
            if (!Files.isRegularFile(library)) {
                Files.createDirectories(dir);
                var part = Files.createTempFile(dir, name, ".part");
                try (var in = packed.openStream()) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    moveIntoPlace(part, library);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            System.setProperty(PATH_PROPERTY, dir.toString());
            System.setProperty(NAME_PROPERTY, name);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no kept copy of SQLite's native library, sqlite-jdbc unpacks its own: " + e);
        }
    }

    /** Where sqlite-jdbc's jar holds the library for this platform. */
    static String packedResource() {
        return "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + System.mapLibraryName("sqlitejdbc");
    }

    /** The kept copy: one folder per sqlite-jdbc version and platform (e.g. Linux/x86_64). */
    static Path keptCopy(Path dataDir) {
        var platform = OSInfo.getNativeLibFolderPathForCurrentOS();
        return dataDir.resolve("lib").resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + platform.replace('/', '-'))
                .resolve(System.mapLibraryName("sqlitejdbc"));
    }

    private static void moveIntoPlace(Path part, Path library) throws IOException {
        try {
            Files.move(part, library, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, library, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
