package watchtower.ctl;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's live stream (GET /live, a WebSocket) as a blocking sequence of text messages.
 * Uses java.net.http.WebSocket: it costs ~0.7 s of start-up (JBANG.md §5), which only the
 * long-running `tail` and `events -f` pay. Sends the token as X-UVS-Token and no Origin, as a
 * program rather than a browser page. Messages are requested one at a time, so a slow terminal
 * holds the socket back instead of filling memory.
 */
final class LiveFeed implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** What ends the stream: the server closed it, or the connection failed. */
    private record Ended(String why) {}

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ExecutorService executor;
    private WebSocket socket;
    private String endReason;

    private LiveFeed(ExecutorService executor) {
        this.executor = executor;
    }

    static URI uri(String base) {
        var ws = base.replaceFirst("^http", "ws"); // http→ws, https→wss
        return URI.create(ws + "/live");
    }

    static LiveFeed connect(ApiClient api) {
        var executor = Executors.newCachedThreadPool(r -> {
            var t = new Thread(r, "wtctl-live");
            t.setDaemon(true);
            return t;
        });
        var feed = new LiveFeed(executor);
        try {
            var client = HttpClient.newBuilder().executor(executor).connectTimeout(CONNECT_TIMEOUT).build();
            var builder = client.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
            api.token().ifPresent(t -> builder.header("X-UVS-Token", t));
            feed.socket = builder.buildAsync(uri(api.base()), feed.new Listener())
                    .get(CONNECT_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            return feed;
        } catch (ExecutionException e) {
            feed.close();
            throw refusal(api, e.getCause());
        } catch (TimeoutException e) {
            feed.close();
            throw CtlError.unreachable("Watchtower at " + api.base() + " did not open the live stream in time", null);
        } catch (InterruptedException e) {
            feed.close();
            Thread.currentThread().interrupt();
            throw CtlError.failed("interrupted", null);
        }
    }

    private static CtlError refusal(ApiClient api, Throwable cause) {
        if (cause instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            return switch (status) {
                case 401 -> CtlError.refused(status, "the live stream needs the install token", api.token().isPresent()
                        ? "the token in your UVS_HOME does not match this server's"
                        : "no token file; it is created when the server first starts (set UVS_HOME if yours lives elsewhere)");
                case 404 -> CtlError.refused(status, "this Watchtower has no live stream (GET /live)",
                        "is it older than wtctl?");
                default -> CtlError.refused(status, "the server refused the live stream (HTTP " + status + ")", null);
            };
        }
        if (cause instanceof IOException io) {
            return CtlError.unreachable("cannot reach Watchtower at " + api.base() + " (" + ApiClient.describe(io) + ")",
                    ApiClient.START_HINT);
        }
        return CtlError.unreachable("cannot open the live stream at " + api.base() + " ("
                + (cause == null ? "unknown error" : cause.getClass().getSimpleName()) + ")", ApiClient.START_HINT);
    }

    /** The next whole text message, or empty once the stream has ended (see {@link #endReason()}). */
    Optional<String> next() throws InterruptedException {
        if (endReason != null) return Optional.empty();
        var item = queue.take();
        if (item instanceof Ended e) {
            endReason = e.why();
            return Optional.empty();
        }
        socket.request(1);
        return Optional.of((String) item);
    }

    String endReason() {
        return endReason;
    }

    @Override
    public void close() {
        if (socket != null) socket.abort();
        executor.shutdownNow();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                queue.add(partial.toString());
                partial.setLength(0);
            } else {
                webSocket.request(1); // the rest of this message
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            queue.add(new Ended("the server closed the live stream (" + statusCode
                    + (reason == null || reason.isEmpty() ? "" : " " + Format.clip(reason, 80)) + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            queue.add(new Ended("lost the live stream (" + (error instanceof IOException io
                    ? ApiClient.describe(io) : error.getClass().getSimpleName()) + ")"));
        }
    }
}
