package watchtower.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake's wire format and records, without the client (runs where Claude Code is not installed). */
class FakeAnthropicApiTest {
    static final HttpClient CLIENT = HttpClient.newBuilder().proxy(ProxySelector.of(null)).build();

    @Test
    void aScriptedTurnStreamsAToolUseThenTextAndRecordsWhatItReported() throws Exception {
        try (var api = FakeAnthropicApi.start(FakeAnthropicApi.Script.bashThenText("touch /tmp/x", "done"))) {
            var first = events(post(api, """
                    {"model":"m","stream":true,"tools":[{"name":"Bash"}],
                     "messages":[{"role":"user","content":[{"type":"text","text":"go"}]}]}"""));
            assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop"), types(first));
            var usage = first.get(0).path("message").path("usage");
            assertEquals(1001, usage.path("input_tokens").asLong());
            assertEquals(2010, usage.path("cache_creation_input_tokens").asLong());
            assertEquals(3100, usage.path("cache_read_input_tokens").asLong());
            assertEquals("tool_use", first.get(1).path("content_block").path("type").asText());
            var json = first.get(3).path("delta").path("partial_json").asText() + first.get(4).path("delta").path("partial_json").asText();
            assertEquals("touch /tmp/x", FakeAnthropicApi.JSON.readTree(json).path("command").asText());
            assertEquals("tool_use", first.get(6).path("delta").path("stop_reason").asText());
            assertEquals(41, first.get(6).path("usage").path("output_tokens").asLong());

            var second = events(post(api, """
                    {"model":"m","stream":true,"tools":[{"name":"Bash"}],"messages":[
                      {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","is_error":true,
                        "content":[{"type":"text","text":"no "},{"type":"text","text":"way"}]}]}]}"""));
            assertEquals("done", second.get(3).path("delta").path("text").asText() + second.get(4).path("delta").path("text").asText());
            assertEquals("end_turn", second.get(6).path("delta").path("stop_reason").asText());

            assertEquals(2, api.messages().size());
            assertEquals("no way", FakeAnthropicApi.text(api.toolResults().get(0)));
            assertEquals(new FakeAnthropicApi.Usage(1001 + 1002, 2010 + 2020, 3100 + 3200, 41 + 42), api.reportedUsage(),
                    "each response reports its own numbers, summed once each");
        }
    }

    // --- infra ---

    static String post(FakeAnthropicApi api, String body) throws Exception {
        var r = CLIENT.send(HttpRequest.newBuilder(URI.create(api.url() + "/v1/messages?beta=true"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        return r.body();
    }

    static List<JsonNode> events(String sse) throws Exception {
        var out = new ArrayList<JsonNode>();
        for (var block : sse.split("\n\n")) {
            String name = null;
            String data = null;
            for (var line : block.split("\n")) {
                if (line.startsWith("event: ")) name = line.substring(7);
                if (line.startsWith("data: ")) data = line.substring(6);
            }
            if (name == null) continue;
            var node = FakeAnthropicApi.JSON.readTree(data);
            assertEquals(name, node.path("type").asText(), "event name and data type agree");
            out.add(node);
        }
        return out;
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }
}
