package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatTest {
    private static final Instant NOW = Instant.parse("2026-11-02T12:00:00Z");

    @ParameterizedTest
    @CsvSource({"2026-11-02 11:59:15, 45s", "2026-11-02 11:48:00, 12m", "2026-11-02 09:00:00, 3h",
            "2026-10-28 12:00:00, 5d", "2026-11-02 12:00:30, 0s", "not a time, -"})
    void ageIsTheLargestWholeUnit(String at, String expected) {
        assertEquals(expected, Format.age(at, NOW));
    }

    @Test
    void ageOfNothingIsADash() {
        assertEquals("-", Format.age(null, NOW));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "999, 999", "1234, 1.2k", "45678, 45k", "3456789, 3.5M", "123456789, 123M"})
    void countsAreShortened(long n, String expected) {
        assertEquals(expected, Format.count(n));
    }

    @Test
    void unknownCostIsAQuestionMark() {
        assertEquals("?", Format.cost(null));
        assertEquals("?", Format.cost("n/a"));
        assertEquals("$0.00", Format.cost(0L));
        assertEquals("<$0.01", Format.cost(0.004));
        assertEquals("$12.35", Format.cost(12.345));
    }

    @Test
    void terminalControlsInServerTextAreDefused() {
        // a command can carry escape sequences that would rewrite the user's terminal
        assertEquals("rm ?[2J?]0;pwned? x y", Format.clean("rm \u001b[2J\u001b]0;pwned\u0007 x\ny"));
        assertEquals("a?b?c", Format.clean("a\u202eb\u0085c"));
        assertEquals("", Format.clean(null));
    }

    @Test
    void clipMarksCutText() {
        assertEquals("abcdefg", Format.clip("abcdefg", 7));
        assertEquals("abc...", Format.clip("abcdefg", 6));
    }

    @Test
    void shortIdsGrowUntilTheyDiffer() {
        var ids = Format.shortIds(List.of("3f2a9c1e0b7d", "3f2a9c1e9999", "77aa000011112222", "ab"));
        assertEquals(Map.of("3f2a9c1e0b7d", "3f2a9c1e0", "3f2a9c1e9999", "3f2a9c1e9", "77aa000011112222", "77aa0000",
                "ab", "ab"), ids);
    }
}
