package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Discoverability: every command has a one-line header and an example, and completion knows them all. */
class HelpAndCompletionTest {
    @TempDir
    static Path dir;

    static Stream<String> commands() {
        var root = Root.commandLine(Ctl.env(Path.of("/tmp"), null, Path.of("/tmp")));
        return root.getSubcommands().keySet().stream().filter(name -> !name.equals("help") && !name.equals("ls"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasAHeaderAndAnExample(String name) {
        var r = Ctl.run(Ctl.env(dir, null, dir), name, "--help");
        assertEquals(0, r.code(), r.toString());
        var lines = r.out().lines().toList();
        assertFalse(lines.get(0).isBlank(), "header first: " + r.out());
        assertTrue(lines.get(1).startsWith("Usage: wtctl " + name), r.out());
        assertTrue(r.out().contains("Example"), "no example in help of " + name + ":\n" + r.out());
    }

    @Test
    void settingsSubcommandsHaveHelpToo() {
        for (var sub : new String[] {"get", "set"}) {
            var r = Ctl.run(Ctl.env(dir, null, dir), "settings", sub, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Usage: wtctl settings " + sub) && r.out().contains("Example"), r.out());
        }
    }

    @Test
    void rootHelpListsEveryCommandOnce() {
        var r = Ctl.run(Ctl.env(dir, null, dir), "--help");
        assertEquals(0, r.code());
        commands().forEach(name -> assertTrue(r.out().contains("\n  " + name) || r.out().contains("  status, ls"), name));
        assertTrue(r.out().contains("Exit codes: 0 ok, 1"), r.out());
    }

    @Test
    void completionIsABashScriptNamingTheCommands() {
        var r = Ctl.run(Ctl.env(dir, null, dir), "completion");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("complete -F _complete_wtctl"), r.out().substring(0, Math.min(400, r.out().length())));
        for (var name : new String[] {"approve", "tail", "doctor", "settings"}) assertTrue(r.out().contains(name), name);
    }

    @Test
    void onlyTheNamedCommandIsBuiltAndEverythingElseGetsTheWholeTree() {
        assertEquals(java.util.Optional.of(StatusCommand.class), Root.named(new String[] {"ls", "--all"}));
        assertEquals(java.util.Optional.of(StatusCommand.class), Root.named(new String[] {"--url", "http://h:1", "--json", "status"}));
        assertEquals(java.util.Optional.of(SettingsCommand.class), Root.named(new String[] {"--url=http://h:1", "settings", "get"}));
        for (var args : new String[][] {{}, {"--help"}, {"help", "ls"}, {"completion"}, {"nope"}, {"-V", "ls"}}) {
            assertEquals(java.util.Optional.empty(), Root.named(args), String.join(" ", args));
        }
        var one = Root.commandLine(Ctl.env(dir, null, dir), new String[] {"approve", "3"});
        assertEquals(java.util.Set.of("approve"), one.getSubcommands().keySet());
    }

    @Test
    void versionIsPrinted() {
        var out = new StringWriter();
        int code = Root.commandLine(Ctl.env(dir, null, dir)).setOut(new PrintWriter(out)).execute("--version");
        assertEquals(0, code);
        assertTrue(out.toString().startsWith("wtctl "), out.toString());
    }
}
