package watchtower.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import watchtower.testing.Api;

/** The comparison the compatibility tests rest on must see every kind of difference. */
class JsonCompareTest {

    @Test
    void extraKeysOfOursAreAllowedButMissingOrDifferentOnesAreNot() {
        var ref = json("{\"ok\":true,\"id\":3,\"nested\":{\"a\":[1,2]}}");
        assertEquals(List.of(), diffs(ref, json("{\"ok\":true,\"id\":3,\"nested\":{\"a\":[1,2],\"b\":0},\"extra\":1}")));
        assertEquals(1, diffs(ref, json("{\"ok\":true,\"nested\":{\"a\":[1,2]}}")).size(), "missing id");
        assertEquals(1, diffs(ref, json("{\"ok\":true,\"id\":4,\"nested\":{\"a\":[1,2]}}")).size(), "other id");
        assertEquals(1, diffs(ref, json("{\"ok\":true,\"id\":3,\"nested\":{\"a\":[1]}}")).size(), "shorter array");
        assertEquals(1, diffs(ref, json("{\"ok\":true,\"id\":\"3\",\"nested\":{\"a\":[1,2]}}")).size(), "a string is not a number");
        assertEquals(1, diffs(json("{\"v\":null}"), json("{\"v\":\"x\"}")).size(), "null is a value");
    }

    @Test
    void numbersCompareByValue() {
        assertEquals(List.of(), diffs(json("{\"n\":1.0,\"m\":5}"), json("{\"n\":1,\"m\":5.0}")));
        assertEquals(1, diffs(json("{\"n\":1.5}"), json("{\"n\":1}")).size());
    }

    @Test
    void timestampsNeedTheShapeAndTheSameNullnessButNotTheSameValue() {
        var ref = json("{\"created_at\":\"2026-11-25 10:24:36\",\"ended_at\":null}");
        assertEquals(List.of(), diffs(ref, json("{\"created_at\":\"2026-11-25 10:24:37\",\"ended_at\":null}")));
        assertEquals(1, diffs(ref, json("{\"created_at\":\"2026-11-25T10:24:37Z\",\"ended_at\":null}")).size());
        assertEquals(1, diffs(ref, json("{\"created_at\":\"2026-11-25 10:24:36\",\"ended_at\":\"2026-11-25 10:24:36\"}")).size());
        // for stored data the value itself must match
        assertThrows(AssertionError.class, () -> JsonCompare.assertSameValues("row", ref,
                json("{\"created_at\":\"2026-11-25 10:24:37\",\"ended_at\":null}")));
    }

    @Test
    void rowsOfSelectsBySessionAndSortsById() {
        var list = json("[{\"id\":10,\"session_id\":\"a\"},{\"id\":9,\"session_id\":\"b\"},{\"id\":2,\"session_id\":\"a\"}]");
        assertEquals(json("[{\"id\":2,\"session_id\":\"a\"},{\"id\":10,\"session_id\":\"a\"}]"), JsonCompare.rowsOf(list, Set.of("a")));
        var sessions = json("[{\"id\":\"s2\"},{\"id\":\"s1\"}]");
        assertEquals(json("[{\"id\":\"s1\"},{\"id\":\"s2\"}]"), JsonCompare.sortedById(sessions));
        assertTrue(JsonCompare.rowsOf(list, Set.of("c")).isEmpty());
    }

    private static List<String> diffs(JsonNode ref, JsonNode ours) {
        return JsonCompare.differences("x", ref, ours, Set.of());
    }

    private static JsonNode json(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
