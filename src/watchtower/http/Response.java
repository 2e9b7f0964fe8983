package watchtower.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes one response. Handlers call exactly one of json/text/bytes; the router adds the rest. */
public final class Response {
    private final HttpExchange exchange;
    private boolean sent;

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
}
