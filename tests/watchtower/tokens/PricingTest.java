package watchtower.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PricingTest {
    static final Usage MILLION_EACH = new Usage(1_000_000, 1_000_000, 1_000_000, 1_000_000);

    static Stream<Arguments> knownModels() {
        return Stream.of(
                Arguments.of("claude-opus-5-5", "5", "25", "6.25", "0.50"),          // the transcript's model
                Arguments.of("claude-opus-4-5-20251101", "5", "25", "6.25", "0.50"),
                Arguments.of("claude-opus-4-1-20250805", "15", "75", "18.75", "1.50"),
                Arguments.of("claude-opus-4-20250514", "15", "75", "18.75", "1.50"),
                Arguments.of("claude-sonnet-5-5", "3", "15", "3.75", "0.30"),
                Arguments.of("claude-sonnet-4-5-20250929", "3", "15", "3.75", "0.30"),
                Arguments.of("claude-haiku-4-5", "1", "5", "1.25", "0.10"),
                Arguments.of("claude-3-5-haiku-20241022", "0.80", "4", "1", "0.08"),
                Arguments.of("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "3", "15", "3.75", "0.30"),
                Arguments.of("Claude-Opus-5-5", "5", "25", "6.25", "0.50"));
    }

    @ParameterizedTest
    @MethodSource("knownModels")
    void knownModelsHaveTheirListPrice(String model, String in, String out, String cw, String cr) {
        assertEquals(Optional.of(ModelRate.of(in, out, cw, cr)).map(PricingTest::normalized),
                Pricing.defaults().rateFor(model).map(PricingTest::normalized));
    }

    @Test
    void costIsExact() {
        var usage = new Usage(1111, 44, 2222, 3333); // one response of the sample, claude-opus-5-5
        // 1111*5 + 44*25 + 2222*6.25 + 3333*0.5 = 5555 + 1100 + 13887.5 + 1666.5 = 22209 per million
        var cost = Pricing.defaults().cost("claude-opus-5-5", usage).orElseThrow();
        assertEquals(0, new BigDecimal("0.022209").compareTo(cost), cost.toPlainString());
        assertEquals(0, new BigDecimal("36.75").compareTo(Pricing.defaults().cost("claude-opus-5-5", MILLION_EACH).orElseThrow()));
        var one = Pricing.defaults().cost("claude-3-haiku", new Usage(0, 0, 0, 1)).orElseThrow();
        assertEquals(0, new BigDecimal("0.00000003").compareTo(one), "no rounding: " + one.toPlainString());
    }

    @Test
    void unknownModelHasNoPriceButItsTokensCount() {
        assertTrue(Pricing.defaults().rateFor("gpt-5-codex").isEmpty());
        assertTrue(Pricing.defaults().rateFor("").isEmpty());
        assertTrue(Pricing.defaults().rateFor(null).isEmpty());
        var totals = Totals.of(Map.of("gpt-5-codex", new Usage(10, 20, 0, 0), "claude-haiku-4-5", new Usage(1, 1, 0, 0)),
                Pricing.defaults());
        assertTrue(totals.costUsd().isEmpty());
        assertEquals(new Usage(11, 21, 0, 0), totals.total());
    }

    @Test
    void aModelWithoutTokensDoesNotSpoilTheCost() {
        var totals = Totals.of(Map.of("<synthetic>", Usage.ZERO, "claude-haiku-4-5", new Usage(1_000_000, 0, 0, 0)),
                Pricing.defaults());
        assertEquals(0, BigDecimal.ONE.compareTo(totals.costUsd().orElseThrow()));
        assertEquals(Map.of("claude-haiku-4-5", new Usage(1_000_000, 0, 0, 0)), totals.byModel());
    }

    @Test
    void overrideWinsOverTheDefaultsAndLongestPrefixWinsAmongOverrides() {
        var p = Pricing.withOverrides("""
                {"claude-opus": {"input": 1, "output": 2, "cache_write": 3, "cache_read": "0.25"},
                 "claude-opus-5-5": {"input": 0.1, "output": 0.2, "cache_write": 0.3, "cache_read": 0.4},
                 "gpt-5": {"input": 1.25, "output": 10, "cache_write": 0, "cache_read": 0.125}}
                """);
        assertEquals(0, new BigDecimal("1.0").compareTo(p.cost("claude-opus-5-5", MILLION_EACH).orElseThrow()));
        assertEquals(0, new BigDecimal("6.25").compareTo(p.cost("claude-opus-4-1", MILLION_EACH).orElseThrow()),
                "the shorter override still beats the longer default");
        assertEquals(0, new BigDecimal("11.375").compareTo(p.cost("gpt-5-codex", MILLION_EACH).orElseThrow()));
        assertEquals(Pricing.defaults().rateFor("claude-sonnet-5-5"), p.rateFor("claude-sonnet-5-5"));
    }

    @Test
    void badOverridesAreRefusedWithAReason() {
        for (var bad : new String[] {"not json", "[]", "{\"m\":1}", "{\"m\":{\"input\":1,\"output\":2,\"cache_write\":3}}",
                "{\"m\":{\"input\":-1,\"output\":2,\"cache_write\":3,\"cache_read\":4}}",
                "{\"m\":{\"input\":\"cheap\",\"output\":2,\"cache_write\":3,\"cache_read\":4}}",
                "{\"\":{\"input\":1,\"output\":2,\"cache_write\":3,\"cache_read\":4}}"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Pricing.withOverrides(bad), bad);
            assertTrue(e.getMessage().startsWith("pricing override"), e.getMessage());
        }
        assertEquals(Pricing.defaults(), Pricing.withOverrides("  "));
    }

    // --- infra ---

    private static ModelRate normalized(ModelRate r) {
        return new ModelRate(r.input().stripTrailingZeros(), r.output().stripTrailingZeros(),
                r.cacheWrite().stripTrailingZeros(), r.cacheRead().stripTrailingZeros());
    }
}
