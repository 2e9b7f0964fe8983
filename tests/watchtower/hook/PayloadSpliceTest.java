package watchtower.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadSpliceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> FIELDS = fields("event_type", "\"Stop\"", "n", "1");

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("empty object", "{}", "{\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("blank input", "  \n", "{\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("nested objects and arrays kept",
                        "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}],\"e\":true}},\"f\":-0.5e-3}",
                        "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}],\"e\":true}},\"f\":-0.5e-3,\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("escaped quotes and backslashes, braces inside strings",
                        "{\"cmd\":\"echo \\\"}{\\\" \\\\ done\",\"k\\\"ey\":\"v\"}",
                        "{\"cmd\":\"echo \\\"}{\\\" \\\\ done\",\"k\\\"ey\":\"v\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("unicode raw and escaped, kept as written",
                        "{\"s\":\"日本 ✓ \\u00fc \\ud83d\\ude00 😀\"}",
                        "{\"s\":\"日本 ✓ \\u00fc \\ud83d\\ude00 😀\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("pretty-printed input becomes one line, string whitespace kept",
                        "{\n  \"a\" : [ 1 ,\n 2 ],\n  \"s\": \"x  y\\n\"\n}\n",
                        "{\"a\":[1,2],\"s\":\"x  y\\n\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("a field already present keeps its place and takes the new value (jq's . + {})",
                        "{\"event_type\":\"old\",\"x\":1}",
                        "{\"event_type\":\"Stop\",\"x\":1,\"n\":1}"),
                Arguments.of("array input is wrapped", "[1,2]",
                        "{\"raw_input\":\"[1,2]\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("broken JSON is wrapped", "{\"a\":1,}",
                        "{\"raw_input\":\"{\\\"a\\\":1,}\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("trailing garbage is wrapped", "{\"a\":1} x",
                        "{\"raw_input\":\"{\\\"a\\\":1} x\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("two objects are wrapped", "{}{}",
                        "{\"raw_input\":\"{}{}\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("a scalar is wrapped", "\"hi\"",
                        "{\"raw_input\":\"\\\"hi\\\"\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("control characters in wrapped text are escaped", "a\tb\u0001",
                        "{\"raw_input\":\"a\\tb\\u0001\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("a raw control character inside a string is not JSON", "{\"a\":\"x\ny\"}",
                        "{\"raw_input\":\"{\\\"a\\\":\\\"x\\ny\\\"}\",\"event_type\":\"Stop\",\"n\":1}"),
                Arguments.of("a leading zero is not JSON", "{\"a\":01}",
                        "{\"raw_input\":\"{\\\"a\\\":01}\",\"event_type\":\"Stop\",\"n\":1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void spliceAddsFieldsAsJqWould(String name, String input, String expected) throws Exception {
        var out = PayloadSplice.splice(input, FIELDS);
        assertEquals(expected, out);
        JSON.readTree(out); // and it is JSON
    }

    @Test
    void deepNestingIsWrappedNotACrash() throws Exception {
        var deep = "{\"a\":" + "[".repeat(MiniJson.MAX_DEPTH + 5) + "]".repeat(MiniJson.MAX_DEPTH + 5) + "}";
        var out = PayloadSplice.splice(deep, FIELDS);
        assertEquals(deep, JSON.readTree(out).get("raw_input").asText());
    }

    @Test
    void duplicateKeyKeepsFirstPlaceAndLastValue() {
        assertEquals("{\"a\":2,\"b\":3}", PayloadSplice.splice("{\"a\":1,\"b\":3,\"a\":2}", Map.of()));
    }

    @Test
    void quoteRoundTripsEveryCharacterClass() {
        var s = "q\" b\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 del\u007f ü 日 😀 \u2028";
        var quoted = MiniJson.quote(s);
        assertEquals(s, MiniJson.decodeString(quoted));
        assertEquals(Map.of("k", quoted), MiniJson.members("{\"k\":" + quoted + "}").orElseThrow());
    }

    private static Map<String, String> fields(String... kv) {
        var m = new LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
