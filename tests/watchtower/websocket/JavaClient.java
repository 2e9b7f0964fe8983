package watchtower.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The JDK's own WebSocket client, recording what arrives as "text:...", "pong:...",
 * "close:CODE" or "error:..." (a message split into parts is joined first).
 */
final class JavaClient implements WebSocket.Listener {
    static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    WebSocket ws;

    static JavaClient connect(URI uri) throws Exception {
        return connectAsync(uri).get(10, TimeUnit.SECONDS);
    }

    static CompletableFuture<JavaClient> connectAsync(URI uri) {
        var client = new JavaClient();
        return HTTP.newWebSocketBuilder().buildAsync(uri, client).thenApply(ws -> {
            client.ws = ws;
            return client;
        });
    }

    /** The next event, failing the test if none comes within 10 s. */
    String next() throws InterruptedException {
        var event = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(event, "no WebSocket event within 10 s");
        return event;
    }

    @Override
    public void onOpen(WebSocket ws) {
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add("text:" + text);
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        events.add("pong:" + UTF_8.decode(message));
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        events.add("close:" + statusCode);
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        events.add("error:" + error);
        closed.completeExceptionally(error);
    }
}
