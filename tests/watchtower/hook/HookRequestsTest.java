package watchtower.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The jq rules, in-process: no sink, fixed clock and ids. */
class HookRequestsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cwds() {
        return Stream.of(
                Arguments.of("\"/home/user/project\"", "\"project\""),
                Arguments.of("\"/home/user/project/\"", "\"\""),   // jq: split gives a trailing ""
                Arguments.of("\"relative\"", "\"relative\""),
                Arguments.of("\"\"", "null"),                       // jq: "" | split("/") is []
                Arguments.of("null", "null"),
                Arguments.of(null, "null"),
                Arguments.of("42", "null"));
    }

    @ParameterizedTest
    @MethodSource("cwds")
    void sourceAppIsTheLastPathSegmentAsJqSplitsIt(String cwdRaw, String expected) {
        assertEquals(expected, HookRequests.sourceApp(cwdRaw));
    }

    @Test
    void hookTsIsSecondsWithAFraction() throws Exception {
        var r = requests("sid", Optional.empty()).event("E", "{}");
        assertTrue(r.body().contains("\"_hook_ts\":1764000000.007,"), r.body());
    }

    @Test
    void sessionIdsAreOneEncodedPathSegment() {
        assertEquals("abc-1_2.3~", HookRequests.pathSegment("abc-1_2.3~"));
        assertEquals("a%2F..%2Fb%20%C3%BC", HookRequests.pathSegment("a/../b ü"));
        assertEquals("%2E%2E", HookRequests.pathSegment(".."));
    }

    @Test
    void notifyCommandFallsBackFromToolInputToMessage() throws Exception {
        var r = requests("s", Optional.empty());
        assertEquals("ls", body(r.approval("{\"tool_input\":{\"command\":\"ls\"},\"message\":\"m\"}")).get("command").asText());
        assertEquals("m", body(r.approval("{\"tool_input\":{\"file_path\":\"x\"},\"message\":\"m\"}")).get("command").asText());
        assertEquals("", body(r.approval("{\"tool_input\":\"odd\"}")).get("command").asText());
        assertTrue(r.approval("{\"notification_type\":\"auth_success\"}").isEmpty());
    }

    @Test
    void eventIdIsTheRequestIdAndTheLastField() throws Exception {
        var r = requests("s", Optional.of(Map.of())).event("E", "{\"wt_event_id\":\"forged\"}");
        assertEquals("id-1", r.id());
        assertEquals("id-1", JSON.readTree(r.body()).get("wt_event_id").asText(), "a payload cannot choose its own id");
    }

    // --- infra ---

    private static HookRequests requests(String sid, Optional<Map<String, String>> meta) {
        return new HookRequests(sid, meta, Path.of("/w/d"), () -> 1_764_000_000_007L, () -> "id-1");
    }

    private static com.fasterxml.jackson.databind.JsonNode body(Optional<HookRequest> r) throws Exception {
        return JSON.readTree(r.orElseThrow().body());
    }
}
