package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MiniJsonTest {
    @Test
    void parsesWhatTheServerSends() {
        var o = MiniJson.parseObject("""
                {"id": "abc", "n": 12, "big": 12345678901234, "cost_usd": 0.25, "none": null, "ok": true,
                 "list": [1, "two", {"x": false}], "esc": "a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00", "neg": -3e2}""");
        assertEquals("abc", o.get("id"));
        assertEquals(12L, o.get("n"));
        assertEquals(12345678901234L, o.get("big"));
        assertEquals(0.25, o.get("cost_usd"));
        assertNull(o.get("none"));
        assertEquals(true, o.containsKey("none"));
        assertEquals(Boolean.TRUE, o.get("ok"));
        assertEquals(List.of(1L, "two", Map.of("x", false)), o.get("list"));
        assertEquals("a\"b\\c\né😀", o.get("esc"));
        assertEquals(-300.0, o.get("neg"));
    }

    @Test
    void writesEscapedTextThatParsesBack() {
        var body = new LinkedHashMap<String, Object>();
        body.put("text", "line1\nline2\t\"quoted\" \\ \u0001 é");
        body.put("n", 3L);
        body.put("none", null);
        body.put("list", List.of(true, 1.5));
        var json = MiniJson.write(body);
        assertEquals("{\"text\":\"line1\\nline2\\t\\\"quoted\\\" \\\\ \\u0001 é\",\"n\":3,\"none\":null,\"list\":[true,1.5]}", json);
        assertEquals(body, MiniJson.parse(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "nul", "\"open", "{'a':1}", "NaN", "\"\u0001\""})
    void refusesWhatIsNotJson(String text) {
        assertThrows(MiniJson.Malformed.class, () -> MiniJson.parse(text));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        var deep = "[".repeat(5000) + "]".repeat(5000);
        assertThrows(MiniJson.Malformed.class, () -> MiniJson.parse(deep));
    }

    @Test
    void typedReadsToleratesMissingAndOddFields() {
        var o = MiniJson.parseObject("{\"id\": 7, \"name\": null, \"tokens\": \"x\"}");
        assertEquals("7", MiniJson.text(o, "id"));
        assertNull(MiniJson.text(o, "name"));
        assertNull(MiniJson.text(o, "absent"));
        assertEquals(0L, MiniJson.whole(o, "tokens"));
        assertEquals(Map.of(), MiniJson.object(o, "payload"));
    }

    @Test
    void listOfObjectsIsCheckedForShape() {
        assertEquals(2, MiniJson.parseObjects("[{}, {\"a\": 1}]").size());
        assertThrows(MiniJson.Malformed.class, () -> MiniJson.parseObjects("{\"detail\": \"x\"}"));
        assertThrows(MiniJson.Malformed.class, () -> MiniJson.parseObjects("[1, 2]"));
        assertThrows(MiniJson.Malformed.class, () -> MiniJson.parseObject("[1]"));
    }
}
