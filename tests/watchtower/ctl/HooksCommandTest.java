package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thin hooks commands: what they write is watchtower.install's job (tested there); here, the wiring. */
class HooksCommandTest {
    @TempDir
    Path dir;

    @Test
    void installStatusUninstallInAProjectKeepsTheUsersOwnHooks() throws Exception {
        var project = Files.createDirectories(dir.resolve("project/.claude")).getParent();
        var settings = project.resolve(".claude/settings.local.json");
        Files.writeString(settings, "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"echo mine\"}]}]}}");
        var env = Ctl.env(dir, "http://127.0.0.1:4300", dir.resolve("uvs"));

        var install = Ctl.run(env, "hooks", "install", "--project", "project");
        assertEquals(0, install.code(), install.toString());
        assertTrue(install.out().contains("http hooks") && install.out().contains(settings.toString()), install.out());
        var text = Files.readString(settings);
        assertTrue(text.contains("http://127.0.0.1:4300/hooks/claude") && text.contains("echo mine"), text);

        var status = Ctl.run(env, "hooks", "status", "--project", "project");
        assertEquals(0, status.code());
        assertTrue(status.out().contains("http hooks → http://127.0.0.1:4300"), status.out());

        var doctor = Ctl.run(Ctl.env(project, "http://127.0.0.1:4300", dir.resolve("uvs")), "doctor");
        assertTrue(doctor.out().contains("ok    hooks in " + settings), doctor.out());

        var uninstall = Ctl.run(env, "hooks", "uninstall", "--project", "project");
        assertEquals(0, uninstall.code(), uninstall.toString());
        var after = Files.readString(settings);
        assertFalse(after.contains("/hooks/claude"), after);
        assertTrue(after.contains("echo mine"), after);
    }

    @Test
    void commandHooksWithAGivenClasspathCarryTheServerUrl() throws Exception {
        var project = Files.createDirectories(dir.resolve("p"));
        var jar = Files.createFile(dir.resolve("WtHook.jar"));
        var env = Ctl.env(dir, "http://127.0.0.1:4301", dir.resolve("uvs"));
        var r = Ctl.run(env, "hooks", "install", "--project", "p", "--mode", "command", "--classpath", jar.toString());
        assertEquals(0, r.code(), r.toString());
        var text = Files.readString(project.resolve(".claude/settings.local.json"));
        assertTrue(text.contains("WtHook") && text.contains("http://127.0.0.1:4301"), text);

        var elsewhere = Ctl.run(Ctl.env(project, "http://127.0.0.1:4302", dir.resolve("uvs")), "doctor");
        assertTrue(elsewhere.out().contains("post to http://127.0.0.1:4301, not to http://127.0.0.1:4302"), elsewhere.out());
    }

    @Test
    void badModeOrMissingProjectIsRefused() {
        var env = Ctl.env(dir, "http://127.0.0.1:4300", dir.resolve("uvs"));
        var mode = Ctl.run(env, "hooks", "install", "--project", ".", "--mode", "carrier-pigeon");
        assertEquals(1, mode.code());
        assertTrue(mode.err().contains("unknown hook mode"), mode.err());
        var missing = Ctl.run(env, "hooks", "uninstall", "--project", "nowhere");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such project folder"), missing.err());
        assertEquals(2, Ctl.run(env, "hooks").code());
    }
}
