import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out benchmarks' sender: {@code n} events POSTed on one connection at a fixed rate, each
 * stamped as it was sent. A server slower than the rate falls behind the schedule; sending stops
 * at three times the planned length.
 */
final class PacedPosts {
    private PacedPosts() {}

    /** When each event was sent (0: refused), how many were accepted, the rate reached, the first error. */
    record Sent(long[] sentAt, int count, double perSecond, String error) {}

    static Sent send(RawHttp sender, int n, int perSecond, Duration planned) throws IOException {
        return send(sender, n, perSecond, planned, "fan");
    }

    /**
     * As above, each event's command {@code <tag>:<i>}: the listeners time only "fan", so another
     * tag sends the same traffic uncounted (a warm-up).
     */
    static Sent send(RawHttp sender, int n, int perSecond, Duration planned, String tag) throws IOException {
        var sentAt = new long[n];
        long period = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        long deadline = start + 3 * planned.toNanos() + Duration.ofSeconds(10).toNanos();
        int count = 0;
        String error = null;
        for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
            long due = start + i * period;
            for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
            long t = System.nanoTime();
            var reply = sender.post("/events", Payloads.event(tag + "-" + i, "fanout", "PreToolUse", tag + ":" + i));
            if (reply.status() == 200) {
                sentAt[i] = t;
                count++;
            } else if (error == null) {
                error = "HTTP " + reply.status() + " on event " + i;
            }
        }
        return new Sent(sentAt, count, count / Math.max(1e-9, (System.nanoTime() - start) / 1e9), error);
    }
}
