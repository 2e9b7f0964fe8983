package watchtower.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The macOS terminal command as an argument list (never run here) and which app is chosen. */
class TerminalOpenerTest {
    @Test
    void terminalAppGetsTheReferencesAppleScriptAsOneArgument() {
        var attach = TerminalOpener.attachCommand("uvs", "uvs_abc");
        assertEquals("tmux -L uvs attach -t uvs_abc", attach);
        assertEquals(List.of("osascript", "-e",
                "tell application \"Terminal\" to do script \"tmux -L uvs attach -t uvs_abc\"\n"
                        + "tell application \"Terminal\" to activate"), TerminalOpener.command("terminal", attach));
    }

    @Test
    void itermGetsANewWindowThatTypesTheAttachCommand() {
        assertEquals(List.of("osascript", "-e",
                "tell application \"iTerm\"\n"
                        + "  create window with default profile\n"
                        + "  tell current session of current window to write text \"tmux -L uvs attach -t uvs_x\"\n"
                        + "  activate\n"
                        + "end tell"), TerminalOpener.command("iterm", TerminalOpener.attachCommand("uvs", "uvs_x")));
    }

    @Test
    void quotesAndBackslashesCannotLeaveTheAppleScriptString() {
        var script = TerminalOpener.command("terminal", "a\" & do shell script \"rm x\\").get(2);
        assertEquals("tell application \"Terminal\" to do script \"a\\\" & do shell script \\\"rm x\\\\\"\n"
                + "tell application \"Terminal\" to activate", script);
    }

    @Test
    void theSettingWinsThenUvsTerminalThenTheLaunchingTerminal() {
        assertEquals("iterm", TerminalOpener.choose(Optional.of("iterm"), Optional.of("terminal"), Optional.empty()));
        assertEquals("terminal", TerminalOpener.choose(Optional.of("auto"), Optional.of("Terminal.app"), Optional.of("iTerm.app")));
        assertEquals("iterm", TerminalOpener.choose(Optional.of("auto"), Optional.empty(), Optional.of("iTerm.app")));
        assertEquals("terminal", TerminalOpener.choose(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void offMacOsNothingIsOpened() {
        var linux = new ControlOptions("uvs", Optional.empty(), Optional.empty(), "/usr/bin", Optional.of("iterm"),
                Optional.empty(), false, Path.of("/"));
        assertFalse(new TerminalOpener(linux).open("uvs_x", Optional.of("iterm")));
    }
}
