package watchtower.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What full-text search looks at for one event: its type, tool and command, and the parts of the
 * payload people search for (the prompt, the file, the description, the message), not the whole
 * payload, which would make the index several times the size of the data.
 */
final class SearchText {
    private SearchText() {}

    static final int MAX_CHARS = 4096;

    static String of(ObjectNode payload, String eventType, String toolName, String command) {
        var sb = new StringBuilder();
        add(sb, eventType);
        add(sb, toolName);
        add(sb, command);
        var input = payload.get("tool_input");
        if (input != null && input.isObject()) {
            for (var key : new String[] {"command", "file_path", "description", "url", "pattern", "prompt"}) add(sb, input.get(key));
        }
        for (var key : new String[] {"prompt", "message", "last_assistant_message", "error", "reason", "session_name"}) {
            add(sb, payload.get(key));
        }
        return sb.length() > MAX_CHARS ? sb.substring(0, MAX_CHARS) : sb.toString();
    }

    private static void add(StringBuilder sb, JsonNode v) {
        if (v != null && v.isTextual()) add(sb, v.textValue());
    }

    private static void add(StringBuilder sb, String s) {
        if (s == null || s.isEmpty() || sb.length() >= MAX_CHARS) return;
        if (sb.length() > 0) sb.append('\n');
        sb.append(s, 0, Math.min(s.length(), MAX_CHARS));
    }
}
