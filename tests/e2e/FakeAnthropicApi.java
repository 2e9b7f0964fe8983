package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fake of the Anthropic Messages API that the real Claude Code 2.1.330 accepts (a port of
 * ../shared/fake-anthropic-api.js): {@code POST /v1/messages} answers in streaming SSE
 * (message_start with usage, content blocks in two deltas each, message_delta with the output
 * tokens and stop_reason, message_stop), or plain JSON when the request does not stream.
 * What it answers comes from a {@link Script}; each response reports its own usage numbers,
 * all different, so a total that counts a response twice or misses one cannot match. It
 * records every request and what it reported, for the tests to check.
 */
public final class FakeAnthropicApi implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Token usage as the API reports it: input and cache counts at message_start, output at message_delta. */
    public record Usage(long input, long cacheCreation, long cacheRead, long output) {
        Usage plus(Usage o) {
            return new Usage(input + o.input, cacheCreation + o.cacheCreation, cacheRead + o.cacheRead, output + o.output);
        }
    }

    /** One answer: content blocks (text or tool_use) and the stop reason. */
    public record Turn(List<ObjectNode> blocks, String stopReason) {
        public static Turn text(String text) {
            var block = JSON.createObjectNode().put("type", "text").put("text", text);
            return new Turn(List.of(block), "end_turn");
        }

        public static Turn bash(String command, String description) {
            var block = JSON.createObjectNode().put("type", "tool_use").put("name", "Bash");
            block.putObject("input").put("command", command).put("description", description);
            return new Turn(List.of(block), "tool_use");
        }
    }

    /** Decides the answer to one Messages request. */
    @FunctionalInterface
    public interface Script {
        Turn answer(JsonNode request);

        /**
         * The usual turn: the typed prompt gets a Bash tool_use of {@code command}; the request
         * that carries its tool_result gets {@code finalText}; anything else (side requests
         * without tools) a short text.
         */
        static Script bashThenText(String command, String finalText) {
            return request -> {
                if (!lastToolResults(request).isEmpty()) return Turn.text(finalText);
                if (toolNames(request).contains("Bash")) return Turn.bash(command, "Probe command");
                return Turn.text("Probe session");
            };
        }
    }

    /**
     * One request and what was answered.
     *
     * @param answer    the turn sent (empty for count_tokens and unknown paths)
     * @param usage     the usage reported in that answer
     * @param messageId the answer's message id (what the transcript keys usage by)
     */
    public record Exchange(int n, String method, String path, Map<String, String> headers, JsonNode body,
                           Optional<Turn> answer, Optional<Usage> usage, String messageId) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final Script script;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicInteger responses = new AtomicInteger();

    private FakeAnthropicApi(HttpServer server, ExecutorService executor, Script script) {
        this.server = server;
        this.executor = executor;
        this.script = script;
    }

    public static FakeAnthropicApi start(Script script) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var executor = Executors.newCachedThreadPool(r -> {
            var t = new Thread(r, "fake-anthropic");
            t.setDaemon(true);
            return t;
        });
        var fake = new FakeAnthropicApi(server, executor, script);
        server.createContext("/", fake::handle);
        server.setExecutor(executor);
        server.start();
        return fake;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The Messages exchanges (what the transcript records usage for). */
    public List<Exchange> messages() {
        return exchanges.stream().filter(e -> e.answer().isPresent()).toList();
    }

    /** Every tool_result block the client sent, in order. */
    public List<JsonNode> toolResults() {
        var out = new ArrayList<JsonNode>();
        for (var e : messages()) out.addAll(lastToolResults(e.body()));
        return out;
    }

    /** What all answers so far reported, summed (each response once). */
    public Usage reportedUsage() {
        var total = new Usage(0, 0, 0, 0);
        for (var e : messages()) total = total.plus(e.usage().orElseThrow());
        return total;
    }

    /** Waits until the recorded exchanges satisfy {@code condition}. */
    public List<Exchange> await(Predicate<List<Exchange>> condition, Duration timeout, String what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            var now = exchanges();
            if (condition.test(now)) return now;
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("fake API: " + what + " not seen within " + timeout.toSeconds() + " s; got "
                + exchanges().stream().map(e -> e.path() + e.answer().map(t -> " → " + t.stopReason()).orElse("")).toList());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // --- request handling ---

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var raw = exchange.getRequestBody().readAllBytes();
            var path = exchange.getRequestURI().getPath();
            JsonNode body;
            try {
                body = raw.length == 0 ? JSON.nullNode() : JSON.readTree(raw);
            } catch (IOException e) {
                body = JSON.createObjectNode().put("_unparsed", new String(raw, UTF_8));
            }
            int n = seq.incrementAndGet();
            var headers = new TreeMap<String, String>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/messages/count_tokens")) {
                exchanges.add(new Exchange(n, "POST", path, headers, body, Optional.empty(), Optional.empty(), ""));
                send(exchange, 200, "application/json", "{\"input_tokens\":1234}");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || !path.equals("/v1/messages")) {
                exchanges.add(new Exchange(n, exchange.getRequestMethod(), path, headers, body, Optional.empty(),
                        Optional.empty(), ""));
                send(exchange, 404, "application/json",
                        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"fake: not implemented\"}}");
                return;
            }
            int k = responses.incrementAndGet();
            var turn = withIds(script.answer(body), k);
            var usage = new Usage(1000 + k, 2000 + 10L * k, 3000 + 100L * k, 40 + k);
            var id = "msg_e2e_" + k;
            var model = body.path("model").asText("claude-fake");
            exchanges.add(new Exchange(n, "POST", path, headers, body, Optional.of(turn), Optional.of(usage), id));
            if (body.path("stream").asBoolean(false)) stream(exchange, id, model, turn, usage, k);
            else send(exchange, 200, "application/json", JSON.writeValueAsString(message(id, model, turn, usage)));
        }
    }

    private static Turn withIds(Turn turn, int k) {
        var blocks = new ArrayList<ObjectNode>();
        int i = 0;
        for (var b : turn.blocks()) {
            var copy = b.deepCopy();
            if (copy.path("type").asText().equals("tool_use") && !copy.has("id")) copy.put("id", "toolu_e2e_" + k + "_" + i);
            blocks.add(copy);
            i++;
        }
        return new Turn(List.copyOf(blocks), turn.stopReason());
    }

    private static void stream(HttpExchange exchange, String id, String model, Turn turn, Usage usage, int k)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("request-id", "req_e2e_" + k);
        exchange.sendResponseHeaders(200, 0);
        var out = exchange.getResponseBody();
        var start = JSON.createObjectNode().put("type", "message_start");
        var msg = start.putObject("message");
        msg.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        msg.putArray("content");
        msg.putNull("stop_reason");
        msg.putNull("stop_sequence");
        msg.putObject("usage").put("input_tokens", usage.input()).put("cache_creation_input_tokens", usage.cacheCreation())
                .put("cache_read_input_tokens", usage.cacheRead()).put("output_tokens", 1);
        event(out, "message_start", start);
        int i = 0;
        for (var block : turn.blocks()) {
            var startBlock = JSON.createObjectNode().put("type", "content_block_start").put("index", i);
            var cb = startBlock.putObject("content_block");
            String first;
            String second;
            String deltaType;
            String deltaField;
            if (block.path("type").asText().equals("tool_use")) {
                cb.put("type", "tool_use").put("id", block.path("id").asText()).put("name", block.path("name").asText());
                cb.putObject("input");
                var js = JSON.writeValueAsString(block.path("input"));
                first = js.substring(0, Math.min(10, js.length()));
                second = js.substring(first.length());
                deltaType = "input_json_delta";
                deltaField = "partial_json";
            } else {
                cb.put("type", "text").put("text", "");
                var text = block.path("text").asText();
                first = text.substring(0, (text.length() + 1) / 2);
                second = text.substring(first.length());
                deltaType = "text_delta";
                deltaField = "text";
            }
            event(out, "content_block_start", startBlock);
            event(out, "ping", JSON.createObjectNode().put("type", "ping"));
            for (var part : List.of(first, second)) { // two deltas, like the real API
                var delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", i);
                delta.putObject("delta").put("type", deltaType).put(deltaField, part);
                event(out, "content_block_delta", delta);
            }
            event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", i));
            i++;
        }
        var end = JSON.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", turn.stopReason()).putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", usage.output());
        event(out, "message_delta", end);
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        out.close();
    }

    private static ObjectNode message(String id, String model, Turn turn, Usage usage) {
        var msg = JSON.createObjectNode();
        msg.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        var content = msg.putArray("content");
        turn.blocks().forEach(content::add);
        msg.put("stop_reason", turn.stopReason()).putNull("stop_sequence");
        msg.putObject("usage").put("input_tokens", usage.input()).put("cache_creation_input_tokens", usage.cacheCreation())
                .put("cache_read_input_tokens", usage.cacheRead()).put("output_tokens", usage.output());
        return msg;
    }

    private static void event(OutputStream out, String name, JsonNode data) throws IOException {
        out.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        var bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // --- reading requests ---

    static List<String> toolNames(JsonNode request) {
        var out = new ArrayList<String>();
        for (var t : request.path("tools")) out.add(t.path("name").asText());
        return out;
    }

    /** The tool_result blocks of the request's last user message. */
    static List<JsonNode> lastToolResults(JsonNode request) {
        var messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            var m = messages.get(i);
            if (!m.path("role").asText().equals("user")) continue;
            var out = new ArrayList<JsonNode>();
            for (var block : m.path("content")) if (block.path("type").asText().equals("tool_result")) out.add(block);
            return out;
        }
        return List.of();
    }

    /** A tool_result's content as text (a string, or text blocks joined). */
    public static String text(JsonNode toolResult) {
        var content = toolResult.path("content");
        if (content.isTextual()) return content.textValue();
        var b = new StringBuilder();
        if (content instanceof ArrayNode blocks) {
            for (var block : blocks) if (block.path("type").asText().equals("text")) b.append(block.path("text").asText());
        }
        return b.toString();
    }
}
