package watchtower.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import watchtower.testing.Repo;

/**
 * ./jbang run with a JBang folder and a home of a test's own: its boot folder holds copies of the
 * real jars (filled by the bootstrap), so what ./jbang writes beside them, or a test breaks in
 * them, never touches the user's.
 */
final class PrivateJbang {
    record Result(int code, String out, String err) {}

    private final Path home;
    /** The user's boot folder, which the bootstrap filled, and this one's copy of it. */
    final Path realBoot;
    final Path boot;

    PrivateJbang(Path home) throws IOException {
        this.home = home;
        var launcher = Files.readAllLines(Repo.root().resolve("jbang"));
        var name = setting(launcher, "JBANG_VERSION") + "-" + setting(launcher, "BOOT_REV");
        this.realBoot = Path.of(System.getProperty("user.home"), ".jbang", "boot", name);
        assertTrue(Files.isDirectory(realBoot), "the bootstrap has filled " + realBoot);
        this.boot = Files.createDirectories(home.resolve("jbang").resolve("boot").resolve(name));
        try (var jars = Files.list(realBoot)) {
            for (var jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, boot.resolve(jar.getFileName()));
            }
        }
    }

    /** Runs {@code launcher} (a ./jbang script) with {@code args} in {@code dir}, stdin closed. */
    Result run(Path launcher, Path dir, String... args) throws Exception {
        var cmd = new ArrayList<String>();
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("JBANG_DIR", home.resolve("jbang").toString());
        pb.environment().put("JBANG_BOOT_NO_PATH", "1");
        pb.environment().put("JBANG_NO_VERSION_CHECK", "true");
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("JBANG_NO_LAUNCH_CACHE");
        pb.environment().remove("JBANG_CACHE_DIR");  // its builds land in the private folder too
        var err = Files.createTempFile(home, "err", ".txt").toFile();
        pb.redirectError(err);
        var p = pb.start();
        p.getOutputStream().close();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jbang finished");
        return new Result(p.exitValue(), out, Files.readString(err.toPath()));
    }

    private static String setting(List<String> script, String name) {
        return script.stream().filter(l -> l.startsWith(name + "=")).findFirst()
                .map(l -> l.substring(name.length() + 1).replaceAll("\\s*#.*", "").trim())
                .orElseThrow(() -> new IllegalStateException(name + " not found in ./jbang"));
    }
}
