import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Read latency as one dashboard sees it: the same request repeated on a keep-alive connection
 * after a warm-up, bounded by a sample count and a time limit, so a reference query that takes
 * seconds still ends. {@code {sid}} in a path cycles through sample sessions.
 *
 * <p>The warm-up is up to {@code warmup} requests within {@link #WARMUP_LIMIT}, for both servers:
 * a running server has answered these requests many times, and our JVM compiles a code path
 * only after a few hundred runs, so three warm-up requests measured the interpreter. The
 * reference, at seconds per request, gets the same time and so only a few.
 */
final class QueryLatency {
    private QueryLatency() {}

    static final Duration WARMUP_LIMIT = Duration.ofSeconds(3);

    record Endpoint(String key, String label, String path, boolean oursOnly) {}

    record Result(Endpoint endpoint, int samples, double p50Ms, double p99Ms, int status, int bytes, String error) {}

    static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("sessions", "GET /sessions (as the dashboard: limit=1000; reference: all)", "/sessions?limit=1000", false),
                new Endpoint("sessions_page", "GET /sessions?limit=100 (a page; the reference ignores limit)", "/sessions?limit=100", false),
                new Endpoint("session_events", "GET /sessions/{id}/events (100 with payloads)", "/sessions/{sid}/events", false),
                new Endpoint("events", "GET /events (recent 60)", "/events", false),
                new Endpoint("approvals", "GET /approvals (pending)", "/approvals", false),
                new Endpoint("search_rare", "GET /events/search?q=<a term in one old event>", "/events/search?q=" + DataSet.RARE_TERM, true),
                new Endpoint("search_common", "GET /events/search?q=git status (frequent)", "/events/search?q=git%20status", true));
    }

    static Result measure(ServerProcess server, Endpoint e, List<String> sessions, int warmup, int maxSamples,
                          Duration limit) {
        var latencies = new Latencies();
        int status = 0;
        int bytes = 0;
        String error = null;
        try (var http = server.client(true, 180_000)) {
            long warmUntil = System.nanoTime() + WARMUP_LIMIT.toNanos();
            int i = 0;
            for (; i < warmup && System.nanoTime() < warmUntil; i++) {
                var reply = http.get(e.path().replace("{sid}", sessions.get(i % sessions.size())));
                status = reply.status();
                if (status != 200) {
                    error = "HTTP " + status;
                    break;
                }
            }
            long deadline = System.nanoTime() + limit.toNanos();
            for (int n = 0; error == null && n < maxSamples && System.nanoTime() < deadline; n++, i++) {
                var path = e.path().replace("{sid}", sessions.get(i % sessions.size()));
                long t = System.nanoTime();
                var reply = http.get(path);
                long took = System.nanoTime() - t;
                status = reply.status();
                bytes = reply.body().length;
                if (status != 200) {
                    error = "HTTP " + status;
                    break;
                }
                latencies.add(took);
            }
        } catch (IOException ex) {
            error = ex.toString();
        }
        return new Result(e, latencies.count(), latencies.p50(), latencies.p99(), status, bytes, error);
    }

    static List<Endpoint> forSide(Side side) {
        var out = new ArrayList<Endpoint>();
        for (var e : endpoints()) if (side == Side.OURS || !e.oursOnly()) out.add(e);
        return out;
    }
}
