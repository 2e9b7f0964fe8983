package watchtower.tokens;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prices per model, matched by the longest model-id prefix; user overrides are looked up
 * before the defaults, so an override always wins. A model no prefix matches has no
 * price: {@link #rateFor} is empty and the caller shows tokens without a cost, never a
 * guess. Ids of cloud providers ({@code us.anthropic.claude-...}) match from "claude-".
 * Cache writes are priced at the 5-minute rate (1.25 × input); the transcript's usage
 * does not split them per TTL in the counts we keep.
 */
public final class Pricing {
    /** Anthropic's list prices, USD per million tokens: input, output, cache write (5 min), cache read. */
    private static final List<Entry> DEFAULTS = sorted(List.of(
            // family fallbacks: current generation of each (Opus 4.5+, Sonnet 4.x, Haiku 4.5)
            entry("claude-opus-", "5", "25", "6.25", "0.50"),
            entry("claude-sonnet-", "3", "15", "3.75", "0.30"),
            entry("claude-haiku-", "1", "5", "1.25", "0.10"),
            // older models whose price differs from their family's current one
            entry("claude-opus-4-0", "15", "75", "18.75", "1.50"),
            entry("claude-opus-4-1", "15", "75", "18.75", "1.50"),
            entry("claude-opus-4-2025", "15", "75", "18.75", "1.50"),
            entry("claude-3-opus", "15", "75", "18.75", "1.50"),
            entry("claude-3-7-sonnet", "3", "15", "3.75", "0.30"),
            entry("claude-3-5-sonnet", "3", "15", "3.75", "0.30"),
            entry("claude-3-5-haiku", "0.80", "4", "1", "0.08"),
            entry("claude-3-haiku", "0.25", "1.25", "0.30", "0.03")));

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pricing DEFAULT = new Pricing(List.of());

    private record Entry(String prefix, ModelRate rate) {}

    private final List<Entry> overrides;

    private Pricing(List<Entry> overrides) {
        this.overrides = overrides;
    }

    public static Pricing defaults() {
        return DEFAULT;
    }

    /**
     * The defaults plus overrides from a JSON object
     * {@code {"model-prefix":{"input":3,"output":15,"cache_write":3.75,"cache_read":0.3}}}
     * (USD per million tokens; all four required). Blank means none.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static Pricing withOverrides(String json) {
        if (json == null || json.isBlank()) return DEFAULT;
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("pricing overrides are not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("pricing overrides must be a JSON object of model prefix → prices");
        }
        var entries = new ArrayList<Entry>();
        for (var field : root.properties()) {
            var prefix = field.getKey().trim().toLowerCase(Locale.ROOT);
            if (prefix.isEmpty()) throw new IllegalArgumentException("pricing override with an empty model prefix");
            entries.add(new Entry(prefix, rate(prefix, field.getValue())));
        }
        return new Pricing(sorted(entries));
    }

    public Optional<ModelRate> rateFor(String model) {
        var id = normalize(model);
        return match(overrides, id).or(() -> match(DEFAULTS, id));
    }

    public Optional<BigDecimal> cost(String model, Usage usage) {
        return rateFor(model).map(r -> r.cost(usage));
    }

    private static Optional<ModelRate> match(List<Entry> entries, String id) {
        for (var e : entries) {
            if (id.startsWith(e.prefix())) return Optional.of(e.rate());
        }
        return Optional.empty();
    }

    private static String normalize(String model) {
        var id = model == null ? "" : model.trim().toLowerCase(Locale.ROOT);
        int claude = id.indexOf("claude-");
        return claude > 0 ? id.substring(claude) : id;
    }

    private static ModelRate rate(String prefix, JsonNode prices) {
        if (prices == null || !prices.isObject()) {
            throw new IllegalArgumentException("pricing override for '" + prefix + "' must be an object");
        }
        return new ModelRate(price(prefix, prices, "input"), price(prefix, prices, "output"),
                price(prefix, prices, "cache_write"), price(prefix, prices, "cache_read"));
    }

    private static BigDecimal price(String prefix, JsonNode prices, String field) {
        var n = prices.get(field);
        BigDecimal value;
        if (n != null && n.isNumber()) {
            value = n.decimalValue();
        } else if (n != null && n.isTextual()) {
            try {
                value = new BigDecimal(n.asText().trim());
            } catch (NumberFormatException e) {
                value = null;
            }
        } else {
            value = null;
        }
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException("pricing override for '" + prefix + "': '" + field
                    + "' must be a number ≥ 0 (USD per million tokens)");
        }
        return value;
    }

    private static Entry entry(String prefix, String input, String output, String cacheWrite, String cacheRead) {
        return new Entry(prefix, ModelRate.of(input, output, cacheWrite, cacheRead));
    }

    // longest prefix first, so the most specific entry matches
    private static List<Entry> sorted(List<Entry> entries) {
        var copy = new ArrayList<>(entries);
        copy.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
        return List.copyOf(copy);
    }

    /** The built-in table as prefix → rate, for a settings page or a test. */
    public static Map<String, ModelRate> defaultTable() {
        var out = new LinkedHashMap<String, ModelRate>();
        for (var e : DEFAULTS) out.put(e.prefix(), e.rate());
        return out;
    }
}
