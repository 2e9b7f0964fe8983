package watchtower.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Recognising the permission widget in pane captures of the real client (CLAUDE-CODE.md section 2). */
class PermissionWidgetTest {
    static final String BASH_WIDGET = """
             Bash command
             Tip: auto mode handles these prompts for you — choose "switch to auto mode" below
             Probe command
             touch /tmp/demo-file
             Do you want to proceed?
             ❯ 1. Yes
               2. Yes, and always allow access to /tmp from this project
               3. Yes, and switch to auto mode · auto mode handles these prompts for you
               4. No
             Esc to cancel · Tab to amend
            """;

    @Test
    void theBashWidgetIsShown() {
        assertTrue(PermissionWidget.shown("some earlier output\n\n" + BASH_WIDGET + "\n\n"));
    }

    @Test
    void theWriteAndWebFetchWidgetsAreShownToo() {
        assertTrue(PermissionWidget.shown("""
                 Create file
                 hello.txt
                 Do you want to create hello.txt?
                 ❯ 1. Yes
                   2. Yes, and switch to accept edits (shift+tab)
                   3. No
                """));
        // WebFetch: option 3 mentions esc; no footer needed when the question is there
        assertTrue(PermissionWidget.shown("""
                 Fetch
                 http://127.0.0.1:9/x
                 Do you want to allow Claude to fetch this content?
                 ❯\u00a01. Yes
                   2. Yes, and don't ask again for 127.0.0.1
                   3. No, and tell Claude what to do differently (esc)
                """));
    }

    @Test
    void withTheCursorMovedOffOptionOneItIsStillTheWidget() {
        assertTrue(PermissionWidget.shown(BASH_WIDGET.replace("❯ 1. Yes", "  1. Yes").replace("  4. No", "❯ 4. No")));
    }

    @Test
    void theIdleInputLineIsNotAWidget() {
        assertFalse(PermissionWidget.shown("APPROVED\n\n❯\u00a0\n\n  ⏸ manual mode on\n"));
    }

    @Test
    void autoModesUnnumberedFallbackIsNotAnsweredWithOne() {
        // "1" does nothing there and Enter denies: never treat it as the numbered widget
        assertFalse(PermissionWidget.shown("""
                 Auto mode can't check actions in this session and needs your choice
                 ❯ No
                   Yes
                 Esc to cancel
                """));
    }

    @Test
    void aWidgetQuotedInOldOutputAboveTheInputLineIsNotShown() {
        assertFalse(PermissionWidget.shown(BASH_WIDGET + "\n⏺ Done.\n\n❯\u00a0\n  ⏸ manual mode on\n"));
    }

    @Test
    void aNumberedListWithoutTheQuestionOrFooterIsNotAWidget() {
        assertFalse(PermissionWidget.shown("Options:\n 1. Yes, refactor it\n 2. No\n"));
    }

    @Test
    void snapshotsTellTheSameWidgetFromANewOne() {
        var first = PermissionWidget.snapshot("output\n" + BASH_WIDGET).orElseThrow();
        assertEquals(first, PermissionWidget.snapshot("output\n" + BASH_WIDGET + "   \n\n").orElseThrow(),
                "trailing blank lines do not make it a different widget");
        var next = PermissionWidget.snapshot("output\n ⎿ done\n" + BASH_WIDGET.replace("touch /tmp/demo-file", "rm -rf ./scratch"))
                .orElseThrow();
        assertNotEquals(first, next, "another command's widget is a different prompt");
    }

    @Test
    void aBlinkingLineAboveTheWidgetDoesNotChangeItsSnapshot() {
        // regression: the pending tool call's bullet above the widget blinks; the widget is the same
        var widget = String.join("\n",
                "────────────────────────────────────────",
                " Bash command",
                "   touch /tmp/demo-file",
                "   Probe command",
                " Do you want to proceed?",
                " ❯ 1. Yes",
                "   2. No",
                " Esc to cancel · Tab to amend");
        var lit = "● Bash(touch /tmp/demo-file)\n" + widget;
        var dark = "  Bash(touch /tmp/demo-file)\n" + widget;
        assertEquals(PermissionWidget.snapshot(lit), PermissionWidget.snapshot(dark));
        assertTrue(PermissionWidget.snapshot(lit).orElseThrow().contains("touch /tmp/demo-file"), "the command is part of it");
    }
}
