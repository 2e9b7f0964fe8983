package watchtower.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Repo;

/** Asking JBang for WtHook's classpath: once, absolute, and a clear error when it cannot. */
class HookClasspathTest {
    @TempDir
    Path dir;

    @Test
    void theJarIsBuiltThenItsPathAskedForOnce() throws Exception {
        var jar = dir.resolve("WtHook.jar");
        var calls = dir.resolve("calls");
        // like JBang: `info classpath` names the jar whether or not `build` made it
        var build = script("echo '[jbang] Building jar for WtHook.java...' >&2\necho build >> " + calls + "\ntouch " + jar);
        var info = script("echo info >> " + calls + "\necho " + jar);
        var classpath = new HookClasspath(List.of(build.toString()), List.of(info.toString()), Duration.ofSeconds(10));

        assertEquals(jar.toString(), classpath.resolve());
        assertEquals(jar.toString(), classpath.resolve());
        assertEquals(List.of("build", "info"), Files.readAllLines(calls), "built first, and JBang is asked once");
    }

    @Test
    void relativeMissingOrFailingAnswersAreRefused() throws Exception {
        var relative = new HookClasspath(List.of(), List.of(script("echo build/WtHook.jar").toString()), Duration.ofSeconds(10));
        assertTrue(assertThrows(InstallException.class, relative::resolve).getMessage().contains("relative"));

        var missing = new HookClasspath(List.of(), List.of(script("echo " + dir.resolve("gone.jar")).toString()), Duration.ofSeconds(10));
        assertTrue(assertThrows(InstallException.class, missing::resolve).getMessage().contains("does not exist"));

        var failing = new HookClasspath(List.of(), List.of(script("echo '[jbang] error: WtHook.java: no such file' >&2\nexit 2").toString()),
                Duration.ofSeconds(10));
        var e = assertThrows(InstallException.class, failing::resolve);
        assertTrue(e.getMessage().contains("exit 2") && e.getMessage().contains("no such file"), e.getMessage());

        var absent = new HookClasspath(List.of(), List.of(dir.resolve("no-jbang").toString()), Duration.ofSeconds(10));
        assertTrue(assertThrows(InstallException.class, absent::resolve).getMessage().startsWith("cannot run"));
    }

    @Test
    void theRepositorysJbangGivesAJarHoldingWtHook() throws Exception {
        var classpath = HookClasspath.forRepo(Repo.root()).resolve();
        var entries = classpath.split(":");
        boolean found = false;
        for (var entry : entries) {
            assertTrue(Path.of(entry).isAbsolute(), entry);
            if (entry.endsWith(".jar")) {
                try (var jar = new JarFile(entry)) {
                    found |= jar.getEntry("WtHook.class") != null;
                }
            }
        }
        assertTrue(found, "no WtHook.class in " + classpath);
        assertNotNull(new WtHookCommand(Path.of("/usr/bin/java"), classpath, java.util.Optional.empty()));
    }

    // --- infra ---

    Path script(String body) throws Exception {
        var file = Files.createTempFile(dir, "jbang", ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
