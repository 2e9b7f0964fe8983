package watchtower.control;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Claude Code's permission widget as it shows in a captured pane (CLAUDE-CODE.md section 2): a
 * question ("Do you want to proceed?", "Do you want to create x?"), numbered options of which the
 * first is "1. Yes", and the footer "Esc to cancel · Tab to amend". The widget counts as shown
 * only with option 1 being "Yes" plus the question or the footer, because answering "1" is only
 * safe there: in auto mode's fallback widget ("❯ No / Yes") a "1" does nothing and Enter denies,
 * and at the idle input line a "1" and Enter would send a prompt. For the same reason a
 * widget-like text with the input line ("❯ ...") below it is old conversation, not a prompt.
 */
final class PermissionWidget {
    private PermissionWidget() {}

    // "❯" may be followed by a space or a no-break space; the cursor may sit on another option
    private static final Pattern OPTION_ONE_YES = Pattern.compile("^[\\s\u00a0]*(❯[\\s\u00a0]*)?1\\.[\\s\u00a0]+Yes\\b.*");
    private static final Pattern OPTION = Pattern.compile("^[\\s\u00a0]*(❯[\\s\u00a0]*)?\\d+\\.[\\s\u00a0]+\\S.*");
    private static final String QUESTION = "Do you want";
    private static final String FOOTER = "Esc to cancel";
    /** How far above the question the widget's top rule may be (title, description, command). */
    private static final int CONTEXT_LINES = 12;

    static boolean shown(String pane) {
        return region(pane).isPresent();
    }

    /**
     * The widget with the lines just above it (the tool's title and command), or empty when no
     * widget is shown. Two equal snapshots mean the same widget is still waiting; a different
     * one means it left, even if another prompt took its place.
     */
    static Optional<String> snapshot(String pane) {
        return region(pane).map(r -> String.join("\n", r));
    }

    private static Optional<List<String>> region(String pane) {
        var lines = pane.lines().map(PermissionWidget::stripTrailing).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!OPTION_ONE_YES.matcher(lines.get(i)).matches()) continue;
            int question = -1;
            for (int q = i - 1; q >= Math.max(0, i - 3); q--) {
                if (lines.get(q).contains(QUESTION)) {
                    question = q;
                    break;
                }
            }
            int end = i;
            while (end + 1 < lines.size() && OPTION.matcher(lines.get(end + 1)).matches()) end++;
            int footer = -1;
            for (int f = end + 1; f < Math.min(lines.size(), end + 4); f++) {
                if (lines.get(f).contains(FOOTER)) {
                    footer = f;
                    break;
                }
            }
            if (question < 0 && footer < 0) return Optional.empty();
            int to = footer >= 0 ? footer : end;
            // an input line below means this is old text in the conversation, not a waiting prompt
            for (int after = to + 1; after < lines.size(); after++) {
                if (lines.get(after).stripLeading().startsWith("❯")) return Optional.empty();
            }
            return Optional.of(List.copyOf(lines.subList(top(lines, question >= 0 ? question : i), to + 1)));
        }
        return Optional.empty();
    }

    /**
     * Where the widget starts: its top rule ("───") above the question, so the snapshot holds the
     * tool's title and command but not the conversation above it, where Claude Code blinks the
     * pending tool call's bullet; a blinking line must not read as "the prompt changed".
     */
    private static int top(List<String> lines, int question) {
        for (int r = question - 1; r >= Math.max(0, question - CONTEXT_LINES); r--) {
            if (lines.get(r).contains("───")) return r;
        }
        return Math.max(0, question - CONTEXT_LINES); // no rule drawn: the lines above identify it

    }

    private static String stripTrailing(String line) {
        return line.replaceAll("[\\s\u00a0]+$", "");
    }
}
