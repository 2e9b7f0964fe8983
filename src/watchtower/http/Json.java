package watchtower.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one shared ObjectMapper, and the strict parse every request body goes through:
 * NaN/Infinity are refused (Jackson's default), trailing garbage is refused, nesting is
 * bounded, and strings holding a lone UTF-16 surrogate are refused, because SQLite would
 * store them as bytes that no later read can decode.
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(2_000_000).build());
    }

    /** Parses a request body that must be a JSON object; 400 for anything that is not. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid JSON: " + shortReason(e));
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("invalid JSON body");
        }
        if (node == null || node.isMissingNode()) throw ApiError.badRequest("empty body: a JSON object is required");
        if (!node.isObject()) throw ApiError.badRequest("body must be a JSON object, not " + kind(node));
        checkNoLoneSurrogates(node);
        return (ObjectNode) node;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String kind(JsonNode node) {
        if (node.isObject()) return "an object";
        if (node.isArray()) return "a list";
        if (node.isTextual()) return "a string";
        if (node.isBoolean()) return "a boolean";
        if (node.isNumber()) return "a number";
        if (node.isNull()) return "null";
        return node.getNodeType().name().toLowerCase();
    }

    static void checkNoLoneSurrogates(JsonNode node) {
        if (node.isTextual()) {
            checkText(node.textValue());
        } else if (node.isObject()) {
            for (var e : node.properties()) {
                checkText(e.getKey());
                checkNoLoneSurrogates(e.getValue());
            }
        } else if (node.isArray()) {
            for (var child : node) checkNoLoneSurrogates(child);
        }
    }

    private static void checkText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiError.badRequest("invalid JSON: string contains a lone UTF-16 surrogate");
            }
        }
    }

    private static String shortReason(JsonProcessingException e) {
        var msg = e.getOriginalMessage();
        if (msg == null) return "malformed";
        msg = msg.replaceAll("\\s+", " ");
        return msg.length() > 160 ? msg.substring(0, 160) + "..." : msg;
    }
}
