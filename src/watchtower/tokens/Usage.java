package watchtower.tokens;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token counts of one API response, or a sum of them, with the four kinds kept apart
 * because each is priced differently. Counts never go negative: a missing, negative or
 * non-numeric field in a transcript reads as 0.
 */
public record Usage(long input, long output, long cacheCreation, long cacheRead) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    /** The {@code message.usage} object of a transcript line ({@code input_tokens}, ...). */
    public static Usage fromJson(JsonNode usage) {
        return new Usage(count(usage, "input_tokens"), count(usage, "output_tokens"),
                count(usage, "cache_creation_input_tokens"), count(usage, "cache_read_input_tokens"));
    }

    public Usage plus(Usage o) {
        return new Usage(input + o.input, output + o.output, cacheCreation + o.cacheCreation, cacheRead + o.cacheRead);
    }

    public Usage minus(Usage o) {
        return new Usage(input - o.input, output - o.output, cacheCreation - o.cacheCreation, cacheRead - o.cacheRead);
    }

    /** The larger of each field: what one response used, seen on several lines. */
    public Usage max(Usage o) {
        return new Usage(Math.max(input, o.input), Math.max(output, o.output),
                Math.max(cacheCreation, o.cacheCreation), Math.max(cacheRead, o.cacheRead));
    }

    /** The reference's {@code input_tokens}: fresh input plus cache writes plus cache reads. */
    public long inputWithCache() {
        return input + cacheCreation + cacheRead;
    }

    public boolean isZero() {
        return input == 0 && output == 0 && cacheCreation == 0 && cacheRead == 0;
    }

    private static long count(JsonNode usage, String field) {
        var n = usage.get(field);
        return n != null && n.canConvertToLong() ? Math.max(0, n.asLong()) : 0;
    }
}
