package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import watchtower.testing.ServerProcess;

/**
 * The server loads SQLite's native library from a copy kept in its data folder instead of
 * unpacking it into the temp folder on every start; a broken copy only means unpacking as before.
 * Real server processes, each with a temp folder of its own to look into.
 */
class SqliteNativeTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartKeepsACopyAndTheNextStartsUnpackNothing() throws Exception {
        var data = dir.resolve("uvs");
        try (var first = start(data, dir.resolve("tmp1"))) {
            assertArrayEquals(packedLibrary(), Files.readAllBytes(SqliteNative.keptCopy(data)), "the kept copy is the jar's library");
        }
        var tmp = dir.resolve("tmp2");
        try (var again = start(data, tmp)) {
            assertEquals(List.of(), unpackedLibraries(tmp), "a start with a kept copy unpacks nothing");
        }
    }

    @Test
    void aBrokenKeptCopyOnlyMeansUnpackingAsBefore() throws Exception {
        var data = dir.resolve("uvs");
        try (var first = start(data, dir.resolve("tmp1"))) {
            assertTrue(Files.isRegularFile(SqliteNative.keptCopy(data)));
        }
        Files.writeString(SqliteNative.keptCopy(data), "not a library");
        var tmp = dir.resolve("tmp2");
        try (var again = start(data, tmp)) {
            assertEquals(1, unpackedLibraries(tmp).size(), "sqlite-jdbc unpacked its own: " + unpackedLibraries(tmp));
        }
    }

    /** A real server on a fresh database, with {@code java.io.tmpdir} set to a folder of its own. */
    private ServerProcess start(Path data, Path tmp) throws IOException {
        Files.createDirectories(tmp);
        return ServerProcess.start(data, dir.resolve("w.db"), List.of("-Djava.io.tmpdir=" + tmp));
    }

    private static byte[] packedLibrary() throws IOException {
        try (var in = SQLiteJDBCLoader.class.getResourceAsStream(SqliteNative.packedResource())) {
            return in.readAllBytes();
        }
    }

    /** What sqlite-jdbc unpacked into the folder (it names them sqlite-VERSION-UUID-libsqlitejdbc.so). */
    private static List<String> unpackedLibraries(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            var names = new ArrayList<String>();
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(System.mapLibraryName("sqlitejdbc"))).forEach(names::add);
            return names;
        }
    }
}
