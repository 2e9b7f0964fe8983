package watchtower.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Talks to Watchtower over HttpURLConnection (java.net.http.HttpClient costs ~670 ms of start-up,
 * JBANG.md §5). Sends the install token as X-UVS-Token and never an Origin, so the server treats
 * it as a local program. A reply of 400 or more becomes CtlError.refused with the server's
 * {"detail"}; no reply at all becomes CtlError.unreachable with a hint how to start the server.
 */
public final class ApiClient {
    static final int CONNECT_TIMEOUT_MS = 3_000;
    // close writes a checkpoint and spawn starts a process: give the server time
    static final int READ_TIMEOUT_MS = 60_000;
    public static final String START_HINT = "start it with `jbang watchtower@uvs` (or `./jbang Watchtower.java` in the "
            + "Watchtower repository), or point wtctl at it with --url or UVS_WATCHTOWER_URL";

    private final String base;
    private final Optional<String> token;
    private final Path tokenFile;

    public ApiClient(String base, Optional<String> token, Path tokenFile) {
        this.base = base.replaceAll("/+$", "");
        this.token = token;
        this.tokenFile = tokenFile;
    }

    public String base() {
        return base;
    }

    public Optional<String> token() {
        return token;
    }

    public String get(String path) {
        return send("GET", path, null);
    }

    public String post(String path, Map<String, ?> body) {
        return send("POST", path, MiniJson.write(body));
    }

    public String delete(String path) {
        return send("DELETE", path, null);
    }

    /** A path with query parameters; null values are left out, the rest URL-encoded. */
    public static String query(String path, Object... keysAndValues) {
        var params = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) params.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        if (params.isEmpty()) return path;
        var out = new StringBuilder(path);
        char sep = '?';
        for (var e : params.entrySet()) {
            out.append(sep).append(e.getKey()).append('=')
                    .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
            sep = '&';
        }
        return out.toString();
    }

    private String send(String method, String path, String body) {
        HttpURLConnection conn;
        int status;
        try {
            // No proxy: the token must go straight to Watchtower, not through a proxy's logs.
            conn = (HttpURLConnection) URI.create(base + path).toURL().openConnection(Proxy.NO_PROXY);
        } catch (IOException | IllegalArgumentException e) {
            throw CtlError.failed("bad server URL " + base + ": " + e.getMessage(), null);
        }
        try {
            conn.setConnectTimeout(CONNECT_TIMEOUT_MS);
            conn.setReadTimeout(READ_TIMEOUT_MS);
            conn.setInstanceFollowRedirects(false);
            conn.setRequestMethod(method);
            conn.setRequestProperty("Accept", "application/json");
            token.ifPresent(t -> conn.setRequestProperty("X-UVS-Token", t));
            if (body != null) {
                var bytes = body.getBytes(StandardCharsets.UTF_8);
                conn.setDoOutput(true);
                conn.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(bytes);
                }
            }
            status = conn.getResponseCode();
        } catch (IOException e) {
            conn.disconnect();
            throw unreachable(e);
        }
        try (InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream()) {
            var text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status >= 400) throw refused(method, path, status, text);
            return text;
        } catch (IOException e) {
            throw CtlError.unreachable("lost the connection to Watchtower at " + base + " while reading its answer ("
                    + describe(e) + ")", null);
        } finally {
            conn.disconnect();
        }
    }

    private CtlError unreachable(IOException e) {
        return CtlError.unreachable("cannot reach Watchtower at " + base + " (" + describe(e) + ")", START_HINT);
    }

    static String describe(IOException e) {
        var name = e.getClass().getSimpleName();
        var message = e.getMessage();
        return switch (name) {
            case "ConnectException" -> "connection refused";
            case "SocketTimeoutException" -> "timed out";
            case "UnknownHostException" -> "unknown host " + message;
            default -> message == null ? name : message;
        };
    }

    private CtlError refused(String method, String path, int status, String body) {
        var detail = detailOf(body).orElse("HTTP " + status);
        String hint = null;
        if (status == 401 && token.isEmpty()) {
            hint = "no install token at " + tokenFile + "; it is created when the server first starts "
                    + "(set UVS_HOME if yours lives elsewhere)";
        } else if ((status == 404 && detail.equals("not found")) || status == 405) {
            hint = "this Watchtower has no " + method + " " + path.replaceAll("\\?.*", "")
                    + "; is it older than wtctl?";
        }
        return CtlError.refused(status, Format.clean(detail), hint);
    }

    /** The server's {"detail": "..."}; FastAPI-style lists of errors are joined. */
    static Optional<String> detailOf(String body) {
        try {
            var detail = MiniJson.parseObject(body).get("detail");
            if (detail instanceof String s) return Optional.of(s);
            if (detail instanceof List<?> list && !list.isEmpty()) {
                var parts = new StringBuilder();
                for (var item : list) {
                    if (parts.length() > 0) parts.append("; ");
                    parts.append(item instanceof Map<?, ?> m && m.get("msg") != null ? m.get("msg") : item);
                }
                return Optional.of(parts.toString());
            }
            return Optional.empty();
        } catch (MiniJson.Malformed e) {
            return Optional.empty();
        }
    }
}
