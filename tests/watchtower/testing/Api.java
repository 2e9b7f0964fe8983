package watchtower.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP client for tests: sends JSON (with the install token unless told not to) and
 * returns status, headers and the parsed body. No proxy, short timeouts.
 */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .proxy(ProxySelector.of(null)).connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String token;

    public Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String detail() {
            return json().path("detail").asText(null);
        }
    }

    public Reply get(String path) {
        return send(builder(path, true).GET().build());
    }

    public Reply getWithoutToken(String path) {
        return send(builder(path, false).GET().build());
    }

    public Reply post(String path, Object body) {
        return postRaw(path, body instanceof String s ? s : write(body), "application/json", true);
    }

    public Reply postRaw(String path, String body, String contentType, boolean withToken) {
        var b = builder(path, withToken).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b.build());
    }

    public Reply postBytes(String path, byte[] body) {
        return send(builder(path, true).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Reply delete(String path) {
        return send(builder(path, true).DELETE().build());
    }

    public Reply method(String method, String path) {
        return send(builder(path, true).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpRequest.Builder builder(String path, boolean withToken) {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
        if (withToken && token != null) b.header("X-UVS-Token", token);
        return b;
    }

    public Reply send(HttpRequest request) {
        try {
            var r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A JSON object from alternating keys and values: {@code obj("a", 1, "b", "x")}. */
    public static Map<String, Object> obj(Object... kv) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    public String base() {
        return base;
    }
}
