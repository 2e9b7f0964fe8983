package watchtower.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Repo;

/**
 * ./jbang keeps the command JBang printed for a script in its own tree and runs it again without
 * JBang while nothing in the tree changed. The proof that a run came from the cache: it works
 * with JBang's jar broken. The proof that it did not: with JBang broken, it fails; or, when the
 * cached command could not have worked (its jar deleted), the run works.
 */
class LauncherCacheTest {
    @TempDir
    Path home;

    @Test
    void aScriptRunsAgainWithoutJbangUntilItsTreeChangesOrItsBuildIsGone() throws Exception {
        var jbang = new PrivateJbang(home);
        var project = Files.createDirectories(home.resolve("project"));
        var launcher = project.resolve("jbang");
        Files.copy(Repo.root().resolve("jbang"), launcher);
        Files.writeString(project.resolve("Hello.java"), """
                //SOURCES Msg.java
                class Hello { public static void main(String[] a) { System.out.println(Msg.TEXT + String.join("|", a)); } }
                """);
        var msg = Files.writeString(project.resolve("Msg.java"), "class Msg { static final String TEXT = \"one:\"; }\n");
        String[] args = {"Hello.java", "a b'c", "$HOME"};

        var first = jbang.run(launcher, project, args);
        assertEquals("one:a b'c|$HOME\n", first.out(), first.err());

        breakJbang(jbang);
        var cached = jbang.run(launcher, project, args);
        assertEquals(0, cached.code(), cached.err());
        assertEquals("one:a b'c|$HOME\n", cached.out(), "the same run, from the cache, arguments as given");

        Files.writeString(msg, "class Msg { static final String TEXT = \"two:\"; }\n");
        var edited = jbang.run(launcher, project, args);
        assertNotEquals(0, edited.code(), "a changed source must go through JBang: " + edited.out());
        repairJbang(jbang);
        assertEquals("two:a b'c|$HOME\n", jbang.run(launcher, project, args).out());

        try (Stream<Path> built = Files.walk(home.resolve("jbang").resolve("cache"))) {
            for (var jar : built.filter(p -> p.getFileName().toString().equals("Hello.jar")).toList()) Files.delete(jar);
        }
        var rebuilt = jbang.run(launcher, project, args);
        assertEquals("two:a b'c|$HOME\n", rebuilt.out(), "a command whose jar is gone is not run again: " + rebuilt.err());

        assertEquals("two:x\ny\n", jbang.run(launcher, project, "Hello.java", "x\ny").out());
        breakJbang(jbang);
        assertNotEquals(0, jbang.run(launcher, project, "Hello.java", "x", "y").code(),
                "the same words split otherwise are another entry");
    }

    private static void breakJbang(PrivateJbang jbang) throws Exception {
        Files.writeString(cliJar(jbang), "not a jar");
    }

    private static void repairJbang(PrivateJbang jbang) throws Exception {
        var jar = cliJar(jbang);
        Files.copy(jbang.realBoot.resolve(jar.getFileName()), jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path cliJar(PrivateJbang jbang) throws Exception {
        try (Stream<Path> jars = Files.list(jbang.boot)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("jbang-cli-")).findFirst().orElseThrow();
        }
    }
}
