package watchtower.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes one response. Handlers call exactly one of json/text/bytes; the router adds the rest. */
public final class Response {
    private final HttpExchange exchange;
    private boolean sent;
    private boolean detached;

    Response(HttpExchange exchange) {
        this.exchange = exchange;
    }

    public Response header(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
        return this;
    }

    public void json(int status, Object value) throws IOException {
        bytes(status, "application/json", Json.writeBytes(value));
    }

    public void text(int status, String contentType, String body) throws IOException {
        bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public void bytes(int status, String contentType, byte[] body) throws IOException {
        if (sent) throw new IllegalStateException("response already sent");
        sent = true;
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Marks the exchange as answered by someone else (the WebSocket upgrade writes its own bytes). */
    public void handedOver() {
        sent = true;
    }

    public boolean sent() {
        return sent;
    }

    public boolean detached() {
        return detached;
    }

    /**
     * Keeps the exchange open after the handler returns, so no thread waits with it: the
     * holder answers later, from any thread, exactly once.
     */
    public Deferred detach() {
        sent = true;
        detached = true;
        return new Deferred(exchange);
    }

    /** An answer owed to a client whose request is being held open. */
    public static final class Deferred {
        private final HttpExchange exchange;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        Deferred(HttpExchange exchange) {
            this.exchange = exchange;
        }

        /** Sends the answer; false if it was already answered (whoever answers first wins). */
        public boolean complete(int status, Object body) {
            if (!done.compareAndSet(false, true)) return false;
            try (exchange) {
                var bytes = Json.writeBytes(body);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                return true;
            } catch (java.io.IOException e) {
                return false; // the client gave up waiting: nothing to answer
            }
        }

        public boolean isDone() {
            return done.get();
        }
    }
}
