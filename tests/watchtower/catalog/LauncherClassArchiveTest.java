package watchtower.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void theArchiveComesFromALaunchingRunAndABrokenOneChangesNothingButSpeed() throws Exception {
        var boot = privateBoot();
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

    // --- infra ---

    record Result(int code, String out, String err) {}

    private Path jbangDir() {
        return home.resolve("jbang");
    }

    /** boot/<version> with a copy of each real jar, in a folder of our own so the archive lands here. */
    private Path privateBoot() throws IOException {
        var launcher = Files.readAllLines(Repo.root().resolve("jbang"));
        var name = setting(launcher, "JBANG_VERSION") + "-" + setting(launcher, "BOOT_REV");
        var real = Path.of(System.getProperty("user.home"), ".jbang", "boot", name);
        assertTrue(Files.isDirectory(real), "the bootstrap has filled " + real);
        var boot = Files.createDirectories(jbangDir().resolve("boot").resolve(real.getFileName()));
        try (var jars = Files.list(real)) {
            for (var jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, boot.resolve(jar.getFileName()));
            }
        }
        return boot;
    }

    private static String setting(List<String> script, String name) {
        return script.stream().filter(l -> l.startsWith(name + "=")).findFirst()
                .map(l -> l.substring(name.length() + 1).replaceAll("\\s*#.*", "").trim())
                .orElseThrow(() -> new IllegalStateException(name + " not found in ./jbang"));
    }

    private static List<Path> archives(Path boot) throws IOException {
        try (Stream<Path> files = Files.list(boot)) {
            return files.filter(p -> p.toString().endsWith(".jsa")).toList();
        }
    }

    private Result run(String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>();
        cmd.add(Repo.root().resolve("jbang").toString());
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().put("JBANG_DIR", jbangDir().toString());
        pb.environment().put("JBANG_BOOT_NO_PATH", "1");
        pb.environment().put("JBANG_NO_VERSION_CHECK", "true");
        pb.environment().put("HOME", home.toString());
        var err = home.resolve("err.txt").toFile();
        pb.redirectError(err);
        var p = pb.start();
        p.getOutputStream().close();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jbang finished");
        return new Result(p.exitValue(), out, Files.readString(err.toPath()));
    }
}
