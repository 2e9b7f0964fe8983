package watchtower.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import watchtower.core.Threads;
import watchtower.websocket.Hub;
import watchtower.websocket.HubConfig;

/**
 * A stand-in Watchtower on loopback: answers each "METHOD /path" with a canned reply and records
 * every request, so tests can check what wtctl sends for endpoints the real server does not have
 * yet. Its /live is a real WebSocket (the project's Hub), given only to requests that carry the
 * expected X-UVS-Token and no Origin, as the real server's guard does.
 */
final class FakeServer implements AutoCloseable {
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    record Reply(int status, String body) {}

    static final String TOKEN = "f".repeat(64);

    final Hub hub = new Hub(HubConfig.defaults());
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Threads.perTask("fake-http");
    private volatile Supplier<String> snapshot = () -> "{\"type\":\"snapshot\",\"sessions\":[]}";

    FakeServer() throws IOException {
        this(true);
    }

    /** Without /live it answers the upgrade 404, as a server older than the live stream would. */
    FakeServer(boolean withLive) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        if (withLive) server.createContext("/live", this::live);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeServer reply(String methodAndPath, int status, String body) {
        replies.put(methodAndPath, new Reply(status, body));
        return this;
    }

    List<Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var path = ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            requests.add(new Request(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body));
            var reply = replies.getOrDefault(ex.getRequestMethod() + " " + path,
                    replies.getOrDefault(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath(),
                            new Reply(404, "{\"detail\":\"not found\"}")));
            var bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    private void live(HttpExchange ex) throws IOException {
        requests.add(new Request(ex.getRequestMethod(), "/live", Map.copyOf(ex.getRequestHeaders()), ""));
        if (!TOKEN.equals(ex.getRequestHeaders().getFirst("X-UVS-Token")) || ex.getRequestHeaders().containsKey("Origin")) {
            try (ex) {
                var bytes = "{\"detail\":\"install token required\"}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(401, bytes.length);
                ex.getResponseBody().write(bytes);
            }
            return;
        }
        hub.accept(ex, snapshot);
    }

    @Override
    public void close() {
        hub.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
