package watchtower.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Typed reads of request fields. A field of the wrong type is 422 and names the field, so a
 * request either passes whole or is refused before anything is written.
 */
public final class Fields {
    private Fields() {}

    /** Session ids reach file paths (checkpoints, metadata), so they are a closed alphabet. */
    private static final int MAX_TEXT = 64 * 1024;

    /** A string field, or null when absent or null. Other types are 422. */
    public static String text(ObjectNode body, String name) {
        var v = body.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiError.unprocessable(name + " must be a string, not " + Json.kind(v));
        if (v.textValue().length() > MAX_TEXT) throw ApiError.unprocessable(name + " is longer than " + MAX_TEXT + " characters");
        return v.textValue();
    }

    /** The first present, non-empty string among {@code names} (the reference's {@code a or b}). */
    public static String firstText(ObjectNode body, String... names) {
        for (var name : names) {
            var v = text(body, name);
            if (v != null && !v.isEmpty()) return v;
        }
        return null;
    }

    public static String requiredText(ObjectNode body, String name) {
        var v = text(body, name);
        if (v == null) throw ApiError.unprocessable(name + " is required");
        return v;
    }

    public static String oneOf(ObjectNode body, String name, Set<String> allowed, String fallback) {
        var v = text(body, name);
        if (v == null) {
            if (fallback == null) throw ApiError.unprocessable(name + " is required (one of " + sorted(allowed) + ")");
            return fallback;
        }
        if (!allowed.contains(v)) throw ApiError.unprocessable(name + " must be one of " + sorted(allowed));
        return v;
    }

    /** A whole number, or null; booleans, fractions and strings are 422. */
    public static Long integer(ObjectNode body, String name) {
        var v = body.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw ApiError.unprocessable(name + " must be an integer");
        return v.longValue();
    }

    public static long nonNegative(ObjectNode body, String name, long fallback) {
        var v = integer(body, name);
        if (v == null) return fallback;
        if (v < 0) throw ApiError.unprocessable(name + " must not be negative");
        return v;
    }

    /** An object field, or null; 422 for other types. */
    public static ObjectNode object(ObjectNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw ApiError.unprocessable(name + " must be an object, not " + Json.kind(v));
        return (ObjectNode) v;
    }

    public static String sessionId(String raw) {
        if (!isSessionId(raw)) {
            throw ApiError.unprocessable("invalid session id: use 1-128 letters, digits, '.', '_' or '-'");
        }
        return raw;
    }

    /** For ids in a URL path: a malformed one cannot exist, so it is 404 like any unknown id. */
    public static String sessionIdInPath(String raw) {
        if (!isSessionId(raw)) throw ApiError.notFound("session not found");
        return raw;
    }

    /**
     * {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}, checked by hand: every event is checked twice, and
     * the regular expression took about 4% of a request thread's Java time.
     */
    public static boolean isSessionId(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 128 || !isAsciiAlnum(raw.charAt(0))) return false;
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!isAsciiAlnum(c) && c != '.' && c != '_' && c != '-') return false;
        }
        return true;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    public static long numericIdInPath(String raw, String what) {
        try {
            long v = Long.parseLong(raw);
            if (v > 0) return v;
        } catch (NumberFormatException e) {
            // falls through: not a number means no such row
        }
        throw ApiError.notFound(what + " not found");
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", new java.util.TreeSet<>(s));
    }
}
