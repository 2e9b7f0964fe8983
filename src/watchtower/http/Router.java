package watchtower.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Maps method + path pattern ({@code /sessions/{id}/events}) to a handler and is the one place
 * errors become responses: an ApiError becomes its status with {"detail": ...} (405 adds Allow);
 * anything else is logged with a short reference and answered 500 without its text.
 */
public final class Router implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("watchtower.http");

    private record Route(String method, String[] segments, Access access, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final int maxBodyBytes;
    private Guard guard = Guard.NONE;
    private Handler fallback;
    private java.util.function.Predicate<String> fallbackPaths = p -> false;

    public Router(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public Router guard(Guard g) { this.guard = g; return this; }

    public Router get(String pattern, Access access, Handler h) { return add("GET", pattern, access, h); }
    public Router post(String pattern, Access access, Handler h) { return add("POST", pattern, access, h); }
    public Router delete(String pattern, Access access, Handler h) { return add("DELETE", pattern, access, h); }

    /** Serves GET requests to {@code paths} that no route matched (the dashboard's files). */
    public Router fallbackGet(java.util.function.Predicate<String> paths, Handler h) {
        this.fallbackPaths = paths;
        this.fallback = h;
        return this;
    }

    public Router add(String method, String pattern, Access access, Handler h) {
        routes.add(new Route(method, split(pattern), access, h));
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        var res = new Response(exchange);
        try {
            try {
                dispatch(exchange, res);
            } catch (ApiError e) {
                if (!res.sent()) writeError(res, e);
            } catch (Exception e) {
                var ref = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffL);
                LOG.log(System.Logger.Level.ERROR, "internal error ref " + ref + " on "
                        + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), e);
                if (!res.sent()) writeError(res, new InternalError(ref));
            }
        } finally {
            if (!res.detached()) exchange.close(); // a detached exchange is answered later by its holder
            inFlight.decrementAndGet();
        }
    }

    /**
     * Waits (bounded) until no request is being handled. On JDK 17 HttpServer.stop(delay) always
     * sleeps the whole delay, so shutdown waits here instead and then stops with no delay.
     */
    public boolean awaitIdle(java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10); // polling a counter: shutdown only, nothing to notify on
        }
        return true;
    }

    private void dispatch(HttpExchange exchange, Response res) throws Exception {
        var method = exchange.getRequestMethod();
        var segments = split(exchange.getRequestURI().getRawPath());
        var allowed = new ArrayList<String>();
        for (var route : routes) {
            var params = match(route.segments, segments);
            if (params == null) continue;
            if (!route.method.equals(method) && !(method.equals("HEAD") && route.method.equals("GET"))) {
                allowed.add(route.method);
                continue;
            }
            var req = new Request(exchange, params, maxBodyBytes);
            guard.check(req, route.access);
            route.handler.handle(req, res);
            return;
        }
        if (!allowed.isEmpty()) throw ApiError.methodNotAllowed(allowed);
        var path = exchange.getRequestURI().getPath();
        if (fallback != null && fallbackPaths.test(path)) {
            if (!method.equals("GET") && !method.equals("HEAD")) throw ApiError.methodNotAllowed(List.of("GET", "HEAD"));
            var req = new Request(exchange, Map.of(), maxBodyBytes);
            guard.check(req, Access.OPEN);
            fallback.handle(req, res);
            return;
        }
        throw ApiError.notFound("not found");
    }

    private static void writeError(Response res, ApiError e) {
        try {
            if (e.status() == 405) res.header("Allow", String.join(", ", e.allow()));
            var body = new LinkedHashMap<String, Object>();
            body.put("detail", e.detail());
            res.json(e.status(), body);
        } catch (IOException io) {
            LOG.log(System.Logger.Level.DEBUG, "client went away before the error was written: " + io);
        }
    }

    private static void writeError(Response res, InternalError e) {
        try {
            res.json(500, Map.of("detail", "internal error (ref " + e.ref + ")"));
        } catch (IOException io) {
            LOG.log(System.Logger.Level.DEBUG, "client went away before the error was written: " + io);
        }
    }

    private record InternalError(String ref) {}

    /** Path params for a match, or null. Segments are matched raw, then decoded, so %2F never splits. */
    private static Map<String, String> match(String[] pattern, String[] path) {
        if (pattern.length != path.length) return null;
        Map<String, String> params = null;
        for (int i = 0; i < pattern.length; i++) {
            var p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) return null;
                if (params == null) params = new LinkedHashMap<>();
                params.put(p.substring(1, p.length() - 1), decode(path[i]));
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static String decode(String raw) {
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed path");
        }
    }

    private static String[] split(String path) {
        var trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/") && trimmed.length() > 0) trimmed = trimmed.substring(0, trimmed.length() - 1);
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
