package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Optional;

/**
 * Sends one request with {@link HttpURLConnection} (not {@code java.net.http}, whose
 * start-up costs ~0.7 s, JBANG.md §5), with the caller's timeouts, and classifies the
 * answer as a {@link Delivery}. Always {@code Content-Type: application/json}; the install
 * secret goes in {@code X-UVS-Token} when there is one. The response body is read and
 * dropped so the connection can be reused by the next request of the same run.
 */
final class Sender {
    static {
        // a POST must not be silently re-sent by the JDK on a broken keep-alive connection:
        // the spool decides what is re-sent
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private final String baseUrl;
    private final Optional<String> secret;
    private final HookLog log;

    Sender(String baseUrl, Optional<String> secret, HookLog log) {
        this.baseUrl = baseUrl;
        this.secret = secret;
        this.log = log;
    }

    Delivery send(HookRequest request, int connectTimeoutMs, int readTimeoutMs) {
        HttpURLConnection conn = null;
        try {
            conn = (HttpURLConnection) new URL(baseUrl + request.path()).openConnection();
            conn.setConnectTimeout(Math.max(1, connectTimeoutMs));
            conn.setReadTimeout(Math.max(1, readTimeoutMs));
            conn.setUseCaches(false);
            conn.setInstanceFollowRedirects(false);
            conn.setRequestMethod(request.method());
            conn.setRequestProperty("Content-Type", "application/json");
            conn.setRequestProperty("Accept", "application/json");
            if (secret.isPresent()) conn.setRequestProperty("X-UVS-Token", secret.get());
            var body = request.body().getBytes(UTF_8);
            conn.setDoOutput(true);
            conn.setFixedLengthStreamingMode(body.length);
            try (var out = conn.getOutputStream()) {
                out.write(body);
            }
            int status = conn.getResponseCode();
            drain(status < 400 ? conn.getInputStream() : conn.getErrorStream());
            if (status >= 200 && status < 300) return Delivery.DELIVERED;
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                log.warn(request.method() + " " + request.path() + " rejected with " + status + "; not retried");
                return Delivery.REJECTED;
            }
            log.warn(request.method() + " " + request.path() + " got " + status + "; kept for later");
            return Delivery.UNAVAILABLE;
        } catch (IOException | RuntimeException e) {
            log.warn(request.method() + " " + request.path() + " failed (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); kept for later");
            if (conn != null) conn.disconnect();
            return Delivery.UNAVAILABLE;
        }
    }

    private static void drain(InputStream in) throws IOException {
        if (in == null) return;
        try (in) {
            in.readNBytes(1 << 16);
        }
    }
}
