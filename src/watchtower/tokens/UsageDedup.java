package watchtower.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the usage of one transcript's lines, counting each API response once. Claude Code
 * writes one response as several {@code type:"assistant"} lines (one per content block)
 * with the same {@code message.id} and {@code requestId}; the reference summed every line
 * and overcounted. Repeats may carry the same usage or a larger {@code output_tokens}
 * (written before the stream ended), so a response counts as the field-wise maximum of its
 * lines, and a later line that raises it adds only the difference. Lines that are not JSON,
 * not assistant lines or carry no usage are skipped; nothing here throws.
 */
public final class UsageDedup {
    /** Repeats of a response are adjacent in practice; remembering this many is ample and bounded. */
    static final int REMEMBERED_RESPONSES = 20_000;
    static final String UNKNOWN_MODEL = "unknown";

    // immutable once built and thread-safe; kept here so the tokens package needs no http part
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Seen(String model, Usage usage) {}

    private final Map<String, Seen> responses = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > REMEMBERED_RESPONSES;
        }
    };
    private final Map<String, Usage> byModel = new TreeMap<>();
    private long anonymous;

    public void accept(String line) {
        if (line.isBlank() || !line.contains("\"usage\"")) return; // cheap pre-check: most lines are not usage
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return;
        }
        if (node == null || !node.isObject() || !"assistant".equals(node.path("type").asText())) return;
        var message = node.get("message");
        if (message == null || !message.isObject()) return;
        var usageNode = message.get("usage");
        if (usageNode == null || !usageNode.isObject()) return;

        var usage = Usage.fromJson(usageNode);
        var model = message.path("model").asText("");
        if (model.isEmpty()) model = UNKNOWN_MODEL;
        var key = key(message.path("id").asText(""), node.path("requestId").asText(""));

        var seen = responses.get(key);
        if (seen == null) {
            responses.put(key, new Seen(model, usage));
            add(model, usage);
        } else {
            var merged = seen.usage().max(usage);
            responses.put(key, new Seen(seen.model(), merged));
            add(seen.model(), merged.minus(seen.usage()));
        }
    }

    /** Usage per model so far (a read-only view). */
    public Map<String, Usage> byModel() {
        return Collections.unmodifiableMap(byModel);
    }

    /** Forgets everything: the file was truncated or replaced and is read again from its start. */
    public void reset() {
        responses.clear();
        byModel.clear();
    }

    private void add(String model, Usage delta) {
        if (delta.isZero() && byModel.containsKey(model)) return;
        byModel.merge(model, delta, Usage::plus);
    }

    /** A line without ids cannot be matched to its repeats: it counts on its own. */
    private String key(String messageId, String requestId) {
        if (messageId.isEmpty() && requestId.isEmpty()) return "\u0000line-" + anonymous++;
        return messageId + "\u0000" + requestId;
    }
}
