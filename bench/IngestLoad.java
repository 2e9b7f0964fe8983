import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop ingest: {@code clients} threads each POST /events back to back, on a keep-alive
 * connection or a new connection per request, until {@code maxRequests} were issued or the
 * time is up. The first {@code warmup} is not counted (JIT, connection set-up); throughput and
 * latency come from requests started after it. Every acknowledged id is kept for the
 * exactly-once check against the database afterwards.
 */
final class IngestLoad {
    private IngestLoad() {}

    /**
     * @param prime   requests sent one by one before the clients start (class loading and JIT of a
     *                fresh server would otherwise fill the warm-up and beyond); stored and checked too
     * @param warmup  then the clients run this long before requests count
     */
    record Spec(int clients, boolean keepAlive, int prime, Duration warmup, Duration window, long maxRequests) {
        String label() {
            return (keepAlive ? "keep-alive" : "new connection per request") + ", " + clients
                    + (clients == 1 ? " client" : " clients");
        }
    }

    /** {@code latencies}: every counted request's, so runs against several servers at once can be pooled. */
    record Result(Spec spec, long issued, long errors, double perSecond, double p50Ms, double p99Ms,
                  double maxMs, List<String> acked, String firstError, Latencies latencies) {
        /**
         * The figures without the ids and latencies behind them (tens of MB a run), for keeping
         * once they are checked: kept, they grew this benchmark's heap run after run, on the cores
         * it shares with the server under test.
         */
        Result figuresOnly() {
            return new Result(spec, issued, errors, perSecond, p50Ms, p99Ms, maxMs, List.of(), firstError, new Latencies());
        }
    }

    static final int SESSIONS = 20;
    private static final String[] TYPES = {"PreToolUse", "PostToolUse"};

    static Result run(ServerProcess server, Spec spec, String tag) throws InterruptedException {
        var primed = prime(server, spec.prime(), tag);
        long t0 = System.nanoTime();
        long windowStart = t0 + spec.warmup().toNanos();
        long deadline = windowStart + spec.window().toNanos();
        var issued = new AtomicLong();
        var errors = new AtomicLong();
        var firstError = new AtomicReference<String>();
        var perThread = new ArrayList<Worker>();
        for (int i = 0; i < spec.clients(); i++) perThread.add(new Worker());
        var threads = new ArrayList<Thread>();
        for (var w : perThread) {
            var t = new Thread(() -> w.loop(server, spec, tag, issued, errors, firstError, windowStart, deadline),
                    "ingest-" + threads.size());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (var t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 60_000);
            if (t.isAlive()) throw new IllegalStateException("an ingest client did not finish within 60 s of the deadline");
        }
        var latencies = new Latencies();
        var acked = new ArrayList<String>(primed);
        long counted = 0;
        long lastEnd = windowStart;
        for (var w : perThread) {
            latencies.addAll(w.latencies);
            acked.addAll(w.acked);
            counted += w.counted;
            lastEnd = Math.max(lastEnd, w.lastEnd);
        }
        double seconds = (lastEnd - windowStart) / 1e9;
        double perSecond = seconds > 0 ? counted / seconds : 0;
        return new Result(spec, Math.min(issued.get(), spec.maxRequests()), errors.get(), perSecond,
                latencies.p50(), latencies.p99(), latencies.maxMs(), acked, firstError.get(), latencies);
    }

    /**
     * Sequential requests, each on a new connection (so a slow keep-alive path cannot stretch the
     * priming), at most {@code n} and at most 20 s; returns the acked ids.
     */
    private static List<String> prime(ServerProcess server, int n, String tag) {
        var acked = new ArrayList<String>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (var http = server.client(false, 30_000)) {
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                var id = tag + "-prime-" + i;
                if (http.post("/events", Payloads.event(id, "bench-" + (i % SESSIONS), TYPES[i & 1], null)).status() == 200) {
                    acked.add(id);
                }
            }
        } catch (IOException e) {
            System.err.println("bench: priming " + server.side.label + " failed: " + e); // the run itself will show it
        }
        return acked;
    }

    /** One client's loop and what it saw; read only after its thread has joined. */
    private static final class Worker {
        final Latencies latencies = new Latencies();
        final List<String> acked = new ArrayList<>();
        long counted;
        long lastEnd;

        void loop(ServerProcess server, Spec spec, String tag, AtomicLong issued, AtomicLong errors,
                  AtomicReference<String> firstError, long windowStart, long deadline) {
            try (var http = server.client(spec.keepAlive(), 30_000)) {
                while (true) {
                    long n = issued.getAndIncrement();
                    long start = System.nanoTime();
                    if (n >= spec.maxRequests() || start >= deadline) return;
                    var id = tag + "-" + n;
                    var body = Payloads.event(id, "bench-" + (n % SESSIONS), TYPES[(int) (n & 1)], null);
                    try {
                        var reply = http.post("/events", body);
                        long end = System.nanoTime();
                        if (reply.status() == 200) {
                            acked.add(id);
                            if (start >= windowStart) {
                                latencies.add(end - start);
                                counted++;
                                lastEnd = Math.max(lastEnd, end);
                            }
                        } else {
                            fail(errors, firstError, "HTTP " + reply.status() + " " + abbreviate(reply.text()));
                        }
                    } catch (IOException e) {
                        fail(errors, firstError, e.toString());
                        if (errors.get() > 1000 && acked.isEmpty()) return; // the server is gone: stop hammering
                    }
                }
            }
        }

        private static void fail(AtomicLong errors, AtomicReference<String> firstError, String what) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, what);
        }

        private static String abbreviate(String s) {
            return s.length() > 120 ? s.substring(0, 120) + "..." : s;
        }
    }
}
