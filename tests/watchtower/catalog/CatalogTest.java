package watchtower.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Repo;

/**
 * The README's one-time step, done as a user would: register the catalog as "uvs", then run
 * each alias from a directory outside the repository. JBang gets a private JBANG_DIR, sharing
 * only the bootstrap's jar cache, so the user's own ~/.jbang is not touched.
 */
class CatalogTest {
    @TempDir
    Path home;

    @Test
    void registeredCatalogRunsEveryAliasFromOutsideTheRepository() throws Exception {
        var jbangDir = home.resolve("jbang");
        Files.createDirectories(jbangDir);
        var realBoot = Path.of(System.getProperty("user.home"), ".jbang", "boot");
        if (Files.isDirectory(realBoot)) Files.createSymbolicLink(jbangDir.resolve("boot"), realBoot);
        var elsewhere = Files.createDirectories(home.resolve("somewhere-else"));
        var repo = Repo.root();

        var add = run(jbangDir, elsewhere, repo.resolve("jbang").toString(), "catalog", "add", "-g", "--name", "uvs",
                repo.resolve("jbang-catalog.json").toString());
        assertEquals(0, add.code(), add.out());

        var aliases = run(jbangDir, elsewhere, repo.resolve("jbang").toString(), "alias", "list", "uvs");
        assertEquals(0, aliases.code(), aliases.out());
        for (var alias : List.of("watchtower", "wthook", "wtctl")) {
            assertTrue(aliases.out().contains(alias + "@uvs") || aliases.out().contains(alias + " "), alias + ": " + aliases.out());
        }
        // one alias run for real (each first run compiles its script, which takes a while)
        var server = run(jbangDir, elsewhere, repo.resolve("jbang").toString(), "watchtower@uvs", "--version");
        assertEquals(0, server.code(), server.out());
        assertTrue(server.out().contains("watchtower 0.1.0"), server.out());
    }

    // --- infra ---

    record Result(int code, String out) {}

    private Result run(Path jbangDir, Path cwd, String... cmd) throws Exception {
        var pb = new ProcessBuilder(List.of(cmd)).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("JBANG_DIR", jbangDir.toString());
        pb.environment().put("JBANG_BOOT_NO_PATH", "1");
        pb.environment().put("JBANG_NO_VERSION_CHECK", "true");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("MAVEN_OPTS", "-Dmaven.repo.local=" + Path.of(System.getProperty("user.home"), ".m2", "repository"));
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "jbang finished");
        return new Result(p.exitValue(), out);
    }
}
