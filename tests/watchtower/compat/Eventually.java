package watchtower.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until a probe's value passes a check or a deadline passes, then fails showing the
 * last value seen. The reference hooks send with a backgrounded curl, so their effect can
 * only be awaited this way.
 */
final class Eventually {
    private Eventually() {}

    static final Duration HOOK_DEADLINE = Duration.ofSeconds(10);

    static <T> T until(String what, Supplier<T> probe, Predicate<T> done) {
        return until(what, HOOK_DEADLINE, probe, done);
    }

    static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var value = probe.get();
            if (done.test(value)) return value;
            if (System.nanoTime() > deadline) {
                return fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last seen: " + value);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }
}
