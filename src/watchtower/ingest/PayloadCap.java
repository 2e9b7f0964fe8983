package watchtower.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import watchtower.http.Json;

/**
 * Keeps stored payloads small: a tool response or file content can be hundreds of kilobytes,
 * and a year of those makes every query slower. Long strings are cut (and say so); a payload
 * still over the cap is replaced by a marker that keeps what the API and dashboard show
 * (type, tool, command). The event itself is never dropped.
 */
public final class PayloadCap {
    private PayloadCap() {}

    public static final int MAX_PAYLOAD_CHARS = 64 * 1024;
    static final int MAX_STRING_CHARS = 8 * 1024;
    public static final String MARK = "_wt_truncated";

    /** The JSON text to store for {@code payload}. */
    public static String toStored(ObjectNode payload) {
        var text = Json.write(payload);
        if (text.length() <= MAX_PAYLOAD_CHARS) return text;
        var copy = payload.deepCopy();
        cutStrings(copy);
        copy.put(MARK, true);
        text = Json.write(copy);
        if (text.length() <= MAX_PAYLOAD_CHARS) return text;
        var marker = Json.MAPPER.createObjectNode();
        for (var keep : new String[] {"event_type", "hook_event_name", "session_id", "uvs_session_id", "tool_name", "cwd"}) {
            if (payload.get(keep) != null && payload.get(keep).isTextual()) marker.set(keep, payload.get(keep));
        }
        marker.put(MARK, true);
        marker.put("original_chars", Json.write(payload).length());
        return Json.write(marker);
    }

    private static void cutStrings(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (var e : o.properties()) {
                if (e.getValue().isTextual()) e.setValue(cut(e.getValue().textValue()));
                else cutStrings(e.getValue());
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) a.set(i, cut(a.get(i).textValue()));
                else cutStrings(a.get(i));
            }
        }
    }

    private static TextNode cut(String s) {
        if (s.length() <= MAX_STRING_CHARS) return TextNode.valueOf(s);
        int end = MAX_STRING_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--; // never split a surrogate pair
        return TextNode.valueOf(s.substring(0, end) + "… [" + (s.length() - end) + " more characters cut by Watchtower]");
    }
}
