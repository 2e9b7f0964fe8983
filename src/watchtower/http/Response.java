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
        send(exchange, status, exchange.getRequestMethod().equals("HEAD") ? new byte[0] : body);
    }

    /** The head, then the body if there is one, in one socket write when {@link SingleWrite} can hold them. */
    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        var held = SingleWrite.hold(exchange, body.length);
        try {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } finally {
            if (held != null) held.release();
        }
        exchange.getResponseBody().close();
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
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                send(exchange, status, Json.writeBytes(body));
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
