import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * WebSocket fan-out: N clients on /live, one sender POSTing events at a fixed rate on a
 * keep-alive connection, and for every (event, client) pair the time from the start of the POST
 * to the client receiving the broadcast. Before measuring, probe events are sent until every
 * client has seen one, since the reference subscribes a client only after sending its snapshot.
 */
final class Fanout {
    private Fanout() {}

    /** {@code warmup}: the same traffic first, not timed (our JVM compiles the broadcast path meanwhile). */
    record Spec(int clients, int perSecond, Duration warmup, Duration duration, int maxEvents) {
        int events() {
            return (int) Math.min(maxEvents, Math.max(1, perSecond * duration.toMillis() / 1000));
        }
    }

    record Result(Spec spec, int ready, int sent, long expected, long delivered, int closedEarly, double p50Ms,
                  double p99Ms, double maxMs, double achievedPerSecond, String firstError) {
        double deliveredShare() {
            return expected == 0 ? 0 : (double) delivered / expected;
        }
    }

    static Result run(ServerProcess server, Spec spec, Duration connectTimeout) throws InterruptedException, IOException {
        try (var live = LiveListeners.open(server, spec.clients(), connectTimeout);
             var sender = server.client(true, 30_000)) {
            int ready = live.ready();
            probeUntilAllSubscribed(sender, live, ready, Duration.ofSeconds(15));
            String error = live.firstError();
            int warmEvents = (int) (spec.perSecond() * spec.warmup().toMillis() / 1000);
            if (warmEvents > 0) PacedPosts.send(sender, warmEvents, spec.perSecond(), spec.warmup(), "warm");
            var posts = PacedPosts.send(sender, spec.events(), spec.perSecond(), spec.duration());
            if (error == null) error = posts.error();
            int sent = posts.count();
            var sentAt = posts.sentAt();
            double achieved = posts.perSecond();
            long expected = (long) sent * ready;
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (live.delivered() < expected && System.nanoTime() < drainDeadline) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polling the counter, bounded by the deadline
            }
            var latencies = live.latencies(sentAt);
            return new Result(spec, ready, sent, expected, live.delivered(), live.closedEarly(), latencies.p50(),
                    latencies.p99(), latencies.maxMs(), achieved, error != null ? error : live.firstError());
        }
    }

    private static void probeUntilAllSubscribed(RawHttp sender, LiveListeners live, int ready, Duration limit)
            throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        int i = 0;
        while (live.sawProbe() < ready && System.nanoTime() < deadline) {
            sender.post("/events", Payloads.event("probe-" + i++, "fanout", "PreToolUse", "probe"));
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
