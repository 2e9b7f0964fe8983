package watchtower.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import watchtower.http.Json;

/**
 * What full-text search looks at for one event: its type, tool and command, and the parts of the
 * payload people search for (the prompt, the file, the description, the message), not the whole
 * payload, which would make the index several times the size of the data.
 */
public final class SearchText {
    private SearchText() {}

    static final int MAX_CHARS = 4096;

    public static String of(ObjectNode payload, String eventType, String toolName, String command) {
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

    /** The same, from a stored payload (the index catching up on events written before a restart). */
    static String ofStored(String payloadJson, String eventType, String toolName, String command) {
        ObjectNode payload;
        try {
            payload = payloadJson != null && Json.MAPPER.readTree(payloadJson) instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            payload = Json.MAPPER.createObjectNode(); // older rows may hold non-JSON
        }
        return of(payload, eventType, toolName, command);
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
