package watchtower.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import watchtower.testing.Api;

/**
 * Compares our JSON with the reference server's: every key the reference returns must be there
 * with the same value (our extra keys are additive and allowed). Timestamps cannot be equal
 * across two servers, so for them only the shape and null-ness are compared. Numbers compare
 * by value (1 equals 1.0), since Python and Jackson write some numbers differently.
 */
final class JsonCompare {
    private JsonCompare() {}

    static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    static final Set<String> TIMESTAMP_KEYS = Set.of("created_at", "started_at", "ended_at", "decided_at", "last_event_at");

    static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        return a.equals(b) ? 0 : 1;
    };

    /** Equal as JSON, numbers by value. */
    static boolean same(JsonNode a, JsonNode b) {
        return a.equals(BY_VALUE, b);
    }

    static boolean isTimestamp(JsonNode v) {
        return v != null && v.isTextual() && TIMESTAMP.matcher(v.textValue()).matches();
    }

    /**
     * The rows of a list answer that belong to {@code sessions} (by session_id, or by id in a
     * list of sessions), sorted by id: the reference orders some lists by a timestamp, whose
     * ties leave the order open.
     */
    static ArrayNode rowsOf(JsonNode list, Set<String> sessions) {
        var key = StreamSupport.stream(list.spliterator(), false).anyMatch(n -> n.has("session_id")) ? "session_id" : "id";
        var out = Api.JSON.createArrayNode();
        StreamSupport.stream(list.spliterator(), false)
                .filter(n -> sessions == null || sessions.contains(n.path(key).asText()))
                .sorted(Comparator.comparing((JsonNode n) -> n.path("id"), JsonCompare::compareIds))
                .forEach(out::add);
        return out;
    }

    /** Every row of a list answer, sorted by id. */
    static ArrayNode sortedById(JsonNode list) {
        return rowsOf(list, null);
    }

    private static int compareIds(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? Long.compare(a.asLong(), b.asLong()) : a.asText().compareTo(b.asText());
    }

    /** Fails listing every difference at once; {@code ignored} keys are skipped wherever they appear. */
    static void assertCompatible(String where, JsonNode reference, JsonNode ours, String... ignored) {
        var diffs = differences(where, reference, ours, Set.of(ignored));
        assertTrue(diffs.isEmpty(), where + " differs from the reference:\n  " + String.join("\n  ", diffs)
                + "\nreference: " + reference + "\nours:      " + ours);
    }

    /**
     * Like {@link #assertCompatible}, but timestamps must be equal too: for data the reference
     * wrote, which we must give back as it was stored.
     */
    static void assertSameValues(String where, JsonNode expected, JsonNode actual) {
        var diffs = new ArrayList<String>();
        compare(where, expected, actual, Set.of(), true, diffs);
        assertTrue(diffs.isEmpty(), where + " differs:\n  " + String.join("\n  ", diffs)
                + "\nexpected: " + expected + "\nactual:   " + actual);
    }

    static List<String> differences(String where, JsonNode reference, JsonNode ours, Set<String> ignored) {
        var out = new ArrayList<String>();
        compare(where, reference, ours, ignored, false, out);
        return out;
    }

    private static void compare(String path, JsonNode ref, JsonNode ours, Set<String> ignored, boolean exact,
                                List<String> out) {
        if (ours == null || ours.isMissingNode()) {
            out.add(path + ": missing (reference has " + ref + ")");
        } else if (ref.isObject()) {
            if (!ours.isObject()) {
                out.add(path + ": expected an object, got " + ours);
                return;
            }
            for (var field : ref.properties()) {
                var key = field.getKey();
                if (ignored.contains(key)) continue;
                var mine = ours.get(key);
                if (mine == null) {
                    out.add(path + "." + key + ": missing (reference has " + field.getValue() + ")");
                } else if (!exact && TIMESTAMP_KEYS.contains(key)) {
                    compareTimestamp(path + "." + key, field.getValue(), mine, out);
                } else {
                    compare(path + "." + key, field.getValue(), mine, ignored, exact, out);
                }
            }
        } else if (ref.isArray()) {
            if (!ours.isArray() || ours.size() != ref.size()) {
                out.add(path + ": expected an array of " + ref.size() + ", got "
                        + (ours.isArray() ? "an array of " + ours.size() : ours));
                return;
            }
            for (int i = 0; i < ref.size(); i++) compare(path + "[" + i + "]", ref.get(i), ours.get(i), ignored, exact, out);
        } else if (!same(ref, ours)) {
            out.add(path + ": reference " + ref + ", ours " + ours);
        }
    }

    private static void compareTimestamp(String path, JsonNode ref, JsonNode ours, List<String> out) {
        if (ref.isNull() != ours.isNull()) {
            out.add(path + ": reference " + ref + ", ours " + ours);
        } else if (!ref.isNull() && !(isTimestamp(ref) && isTimestamp(ours))) {
            out.add(path + ": not both YYYY-MM-DD HH:MM:SS: reference " + ref + ", ours " + ours);
        }
    }
}
