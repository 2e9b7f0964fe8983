package watchtower.tokens;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A session's token totals: overall, per model, and the cost in USD, which is empty when
 * any model that used tokens has no price (a partial sum would look like a real total).
 */
public record Totals(Usage total, Map<String, Usage> byModel, Optional<BigDecimal> costUsd) {
    public Totals {
        byModel = Collections.unmodifiableMap(new TreeMap<>(byModel)); // sorted: stable JSON for the dashboard
    }

    public static Totals of(Map<String, Usage> byModel, Pricing pricing) {
        var models = new TreeMap<String, Usage>();
        byModel.forEach((model, usage) -> {
            if (!usage.isZero()) models.merge(model, usage, Usage::plus);
        });
        var total = Usage.ZERO;
        Optional<BigDecimal> cost = Optional.of(BigDecimal.ZERO);
        for (var e : models.entrySet()) {
            total = total.plus(e.getValue());
            var c = pricing.cost(e.getKey(), e.getValue());
            cost = cost.isPresent() && c.isPresent() ? Optional.of(cost.get().add(c.get())) : Optional.empty();
        }
        return new Totals(total, models, cost);
    }

    /** The reference's {@code input_tokens}: input plus cache writes plus cache reads. */
    public long inputTokensWithCache() {
        return total.inputWithCache();
    }

    public long outputTokens() {
        return total.output();
    }
}
