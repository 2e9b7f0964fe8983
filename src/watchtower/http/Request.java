package watchtower.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as handlers see it: method, decoded path parameters, query parameters,
 * headers and a size-limited body. The body is read at most once and only up to the limit,
 * so a huge upload costs the server {@code limit} bytes, not the upload's size.
 */
public final class Request {
    private final HttpExchange exchange;
    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final int maxBodyBytes;
    private byte[] body;
    private String machine;

    Request(HttpExchange exchange, Map<String, String> pathParams, int maxBodyBytes) {
        this.exchange = exchange;
        this.pathParams = pathParams;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.maxBodyBytes = maxBodyBytes;
    }

    public HttpExchange exchange() { return exchange; }
    public String method() { return exchange.getRequestMethod(); }
    public String path() { return exchange.getRequestURI().getPath(); }

    public String path(String name) {
        var v = pathParams.get(name);
        if (v == null) throw new IllegalArgumentException("route has no {" + name + "}");
        return v;
    }

    /** The machine whose token authenticated this request; empty for the install token or none. */
    public Optional<String> machine() {
        return Optional.ofNullable(machine);
    }

    /** Set by the security guard once it has checked a machine's token. */
    public void authenticatedMachine(String name) {
        this.machine = name;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** An integer query parameter clamped into [min, max]; a value that is not a number is 400. */
    public int intParam(String name, int fallback, int min, int max) {
        var raw = query.get(name);
        if (raw == null || raw.isBlank()) return fallback;
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            if (raw.trim().matches("[+-]?\\d+")) v = raw.trim().startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
            else throw ApiError.badRequest(name + " must be an integer, got '" + clip(raw) + "'");
        }
        return (int) Math.max(min, Math.min(max, v));
    }

    public byte[] body() throws IOException {
        if (body == null) body = readLimited();
        return body;
    }

    /** The body as a JSON object; 415 unless the request says application/json. */
    public ObjectNode jsonObject() throws IOException {
        checkJsonContentType();
        return Json.parseObject(body());
    }

    /** Like {@link #jsonObject()}, but an empty body reads as {}: for POSTs whose body is optional. */
    public ObjectNode jsonObjectOrEmpty() throws IOException {
        var bytes = body();
        if (bytes.length == 0) return Json.MAPPER.createObjectNode();
        checkJsonContentType();
        return Json.parseObject(bytes);
    }

    public void checkJsonContentType() {
        var type = header("Content-Type").orElse("");
        var mediaType = type.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw ApiError.unsupportedMediaType("Content-Type must be application/json");
        }
    }

    private byte[] readLimited() throws IOException {
        var declared = header("Content-Length").orElse(null);
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("invalid Content-Length");
            }
        }
        try (var in = exchange.getRequestBody()) {
            if (length > DRAIN_LIMIT) throw tooLarge(); // not worth reading: the connection is dropped
            // the usual case: a declared length within the limit is read straight into its array
            if (length >= 0 && length <= maxBodyBytes) return in.readNBytes((int) length);
            var out = new ByteArrayOutputStream();
            var buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                if (out.size() + n > maxBodyBytes) {
                    drain(in, out.size() + n);
                    throw tooLarge();
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    // A client still sending when we answer 413 sees a reset instead of our answer, so a
    // moderately oversized body is read to the end and thrown away; a huge one is not.
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private static void drain(java.io.InputStream in, long alreadyRead) throws IOException {
        var buf = new byte[16384];
        long total = alreadyRead;
        int n;
        while (total < DRAIN_LIMIT && (n = in.read(buf)) != -1) total += n;
    }

    private ApiError tooLarge() {
        return ApiError.tooLarge("body larger than " + (maxBodyBytes / 1024) + " KiB");
    }

    private static Map<String, String> parseQuery(String raw) {
        var out = new LinkedHashMap<String, String>();
        if (raw == null || raw.isEmpty()) return out;
        for (var pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                var key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                var value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("malformed query string");
            }
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
