package watchtower.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.catalog.PrivateJbang.Result;
import watchtower.testing.Repo;

/**
 * ./jbang keeps a class archive of JBang itself beside its jars, written by the first run that
 * launches a program. Its stdout is the command it execs, so whatever becomes of the archive, the
 * program's output must come through alone. Runs on a private copy of the boot folder (copies of
 * the real jars), so the user's archive is not touched.
 */
class LauncherClassArchiveTest {
    @TempDir
    Path home;

    PrivateJbang jbang;

    @Test
    void theArchiveComesFromALaunchingRunAndABrokenOneChangesNothingButSpeed() throws Exception {
        jbang = new PrivateJbang(home);
        var boot = jbang.boot;
        var script = Files.writeString(home.resolve("Hello.java"),
                "class Hello { public static void main(String[] a) { System.out.println(\"hello from the script\"); } }\n");

        var version = run("--version");
        assertEquals(0, version.code(), version.err());
        assertEquals(List.of(), archives(boot), "a run that launches nothing leaves no archive");

        var first = run(script.toString());
        assertEquals(0, first.code(), first.err());
        assertEquals("hello from the script\n", first.out());
        var made = archives(boot);
        assertEquals(1, made.size(), "one archive after the first launch: " + made);
        assertTrue(Files.size(made.get(0)) > 0);

        Files.writeString(made.get(0), "not a class archive");
        var broken = run(script.toString());
        assertEquals(0, broken.code(), broken.err());
        assertEquals("hello from the script\n", broken.out());
        assertFalse(broken.err().toLowerCase().contains("cds") || broken.err().contains("shared archive"), broken.err());
    }

    private Result run(String... args) throws Exception {
        return jbang.run(Repo.root().resolve("jbang"), home, args);
    }

    private static List<Path> archives(Path boot) throws IOException {
        try (Stream<Path> files = Files.list(boot)) {
            return files.filter(p -> p.toString().endsWith(".jsa")).toList();
        }
    }
}
