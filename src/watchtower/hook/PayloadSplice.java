package watchtower.hook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds fields to a hook payload the way {@code jq -c '. + {...}'} does, on the text: the
 * payload's own members are kept byte for byte (minus whitespace), a member the splice also
 * sets keeps its place and takes the new value, new members go last. Input that is not a
 * JSON object is wrapped, not dropped, so the event still reaches Watchtower:
 * blank input becomes {@code {}}, anything else {@code {"raw_input":"<the text>"}}.
 */
public final class PayloadSplice {
    private PayloadSplice() {}

    /** The member that carries input which was not a JSON object. */
    public static final String RAW_INPUT = "raw_input";

    /**
     * {@code input} as a compact JSON object with {@code fields} (key → raw JSON value text,
     * e.g. {@code "\"Stop\""} or {@code "false"}) added or replacing members of the same name.
     */
    public static String splice(String input, Map<String, String> fields) {
        var members = new LinkedHashMap<>(toMembers(input));
        members.putAll(fields);
        return write(members);
    }

    /** The members of {@code input} as an object, wrapping it when it is not one (see class comment). */
    static Map<String, String> toMembers(String input) {
        if (input == null || input.isBlank()) return Map.of();
        var members = MiniJson.members(input);
        return members.isPresent() ? members.get() : Map.of(RAW_INPUT, MiniJson.quote(input));
    }

    static String write(Map<String, String> members) {
        var b = new StringBuilder(64 + members.size() * 32);
        b.append('{');
        boolean first = true;
        for (var m : members.entrySet()) {
            if (!first) b.append(',');
            first = false;
            b.append(MiniJson.quote(m.getKey())).append(':').append(m.getValue());
        }
        return b.append('}').toString();
    }
}
