package watchtower.ctl;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * One line for one event or live message, shared by `events` and `tail` so both read the same:
 * time, session (tail only), what happened, the tool, and the command or prompt. Colour marks
 * the kind of event when a person is watching.
 */
final class LiveLine {
    private static final int TYPE_WIDTH = 18; // "PostToolUseFailure"
    private static final int TOOL_WIDTH = 10;
    private static final int DETAIL_MAX = 160;
    private static final DateTimeFormatter API_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Palette palette;
    private final boolean withSession;
    private final boolean fullTime;

    LiveLine(Palette palette, boolean withSession, boolean fullTime) {
        this.palette = palette;
        this.withSession = withSession;
        this.fullTime = fullTime;
    }

    /** A line for the message, or empty for messages that are not worth a line (the snapshot). */
    Optional<String> format(Map<String, Object> msg) {
        var type = String.valueOf(MiniJson.text(msg, "type"));
        return switch (type) {
            case "snapshot" -> Optional.empty();
            case "event" -> Optional.of(event(msg));
            case "approval" -> Optional.of(approval(msg));
            case "session" -> Optional.of(prefix(msg) + palette.magenta("session") + " " + sessionChange(msg));
            case "checkpoint" -> Optional.of(prefix(msg) + palette.blue("checkpoint") + " "
                    + Format.clean(MiniJson.text(msg, "path")));
            case "session_deleted" -> Optional.of(prefix(msg) + palette.red("session deleted"));
            case "cleanup" -> Optional.of(prefix(msg) + palette.red("cleanup") + " "
                    + MiniJson.whole(msg, "deleted") + " sessions deleted");
            default -> Optional.of(prefix(msg) + Format.clip(type, 40));
        };
    }

    /** An event row from GET /sessions/{id}/events, or an "event" live message: the same fields. */
    String event(Map<String, Object> e) {
        var type = Format.clip(orDash(MiniJson.text(e, "event_type")), TYPE_WIDTH);
        var tool = Format.clip(orDash(MiniJson.text(e, "tool_name")), 24);
        return (prefix(e) + colourFor(type, pad(type, TYPE_WIDTH)) + "  " + pad(tool, TOOL_WIDTH) + "  "
                + Format.clip(detail(e), DETAIL_MAX)).stripTrailing();
    }

    private String approval(Map<String, Object> a) {
        var status = String.valueOf(MiniJson.text(a, "status"));
        var label = "approval " + MiniJson.text(a, "id") + " " + status;
        var painted = switch (status) {
            case "pending" -> palette.yellow(label);
            case "approved" -> palette.green(label);
            case "denied" -> palette.red(label);
            default -> palette.dim(label);
        };
        var tool = MiniJson.text(a, "tool_name");
        var command = MiniJson.text(a, "command");
        var what = tool == null ? "" : "  " + Format.clean(tool) + (command == null ? "" : ": " + Format.clip(command, DETAIL_MAX));
        return prefix(a) + painted + what;
    }

    private static String sessionChange(Map<String, Object> s) {
        if (s.get("state") != null) return "state " + Format.clean(MiniJson.text(s, "state"));
        if (s.get("input_tokens") != null || s.get("output_tokens") != null) {
            return "tokens " + Format.count(MiniJson.whole(s, "input_tokens")) + " in, "
                    + Format.count(MiniJson.whole(s, "output_tokens")) + " out";
        }
        return "updated";
    }

    private String prefix(Map<String, Object> msg) {
        // Approval and session messages carry no time: they are shown as they arrive.
        var at = Optional.ofNullable(MiniJson.text(msg, "created_at")).orElseGet(() -> API_TIME.format(Instant.now()));
        var out = new StringBuilder();
        out.append(palette.dim(Format.clean(fullTime ? at : Format.timeOfDay(at)))).append("  ");
        if (withSession) {
            var sid = Format.clean(Optional.ofNullable(MiniJson.text(msg, "session_id")).orElse("-"));
            out.append(pad(sid.substring(0, Math.min(Format.SHORT_ID, sid.length())), Format.SHORT_ID)).append("  ");
        }
        return out.toString();
    }

    /** What the event was about: the command, else the prompt or message from its payload. */
    private static String detail(Map<String, Object> e) {
        var command = MiniJson.text(e, "command");
        if (command != null && !command.isEmpty()) return command;
        var payload = MiniJson.object(e, "payload");
        for (var key : new String[] {"prompt", "message", "reason"}) {
            var v = MiniJson.text(payload, key);
            if (v != null && !v.isEmpty()) return v;
        }
        var file = MiniJson.text(MiniJson.object(payload, "tool_input"), "file_path");
        return file == null ? "" : file;
    }

    private String colourFor(String type, String text) {
        if (type.contains("Failure") || type.equals("Stop") || type.equals("SessionEnd")) return palette.red(text);
        if (type.startsWith("Permission") || type.equals("Notification")) return palette.yellow(text);
        if (type.startsWith("Pre")) return palette.cyan(text);
        if (type.startsWith("Post")) return palette.green(text);
        if (type.equals("UserPromptSubmit")) return palette.bold(text);
        return text;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
