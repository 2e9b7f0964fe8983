package watchtower.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import watchtower.http.ApiError;
import watchtower.http.Fields;

/**
 * The checks on text that reaches a process: a task becomes one argument of the agent's
 * command line, typed input becomes keys in its pane. Control characters are refused in typed
 * text (an Escape or a Ctrl-C would act on the agent, not be typed), a task may not start with
 * '-' (it would be read as an option), and typed text stays under tmux's 16 KiB command limit.
 */
final class ControlInput {
    static final int MAX_TYPED_BYTES = 8192;

    private ControlInput() {}

    static String typedText(ObjectNode body) {
        var text = Fields.requiredText(body, "text");
        if (text.isEmpty()) throw ApiError.unprocessable("text must not be empty");
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_TYPED_BYTES) {
            throw ApiError.unprocessable("text is longer than " + MAX_TYPED_BYTES + " bytes");
        }
        if (text.codePoints().anyMatch(ControlInput::isControl)) {
            throw ApiError.unprocessable("text must not contain control characters (newline, tab, escape...): it is typed as one line, then Enter");
        }
        return text;
    }

    static String task(ObjectNode body) {
        var task = Fields.text(body, "task");
        if (task == null || task.isBlank()) return null;
        if (task.startsWith("-")) throw ApiError.unprocessable("task must not start with '-' (it would be read as an option)");
        if (task.codePoints().anyMatch(c -> isControl(c) && c != '\n' && c != '\t')) {
            throw ApiError.unprocessable("task must not contain control characters other than newline and tab");
        }
        return task;
    }

    /** An existing absolute directory, as its real path; {@code fallback} when absent. */
    static Path cwd(ObjectNode body, Path fallback) {
        var raw = Fields.text(body, "cwd");
        if (raw == null || raw.isBlank()) return fallback;
        try {
            var p = Path.of(raw);
            if (p.isAbsolute() && Files.isDirectory(p)) return p.toRealPath();
        } catch (InvalidPathException | java.io.IOException e) {
            // falls through to the same answer as a missing folder
        }
        throw ApiError.unprocessable("cwd must be an existing absolute directory");
    }

    private static boolean isControl(int c) {
        return Character.getType(c) == Character.CONTROL;
    }
}
