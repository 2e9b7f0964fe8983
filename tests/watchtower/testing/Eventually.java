package watchtower.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a probe until its value passes a check, or fails after a deadline showing the last value
 * seen: for effects that arrive with no signal to wait on (a backgrounded curl, a tmux pane).
 */
public final class Eventually {
    private Eventually() {}

    public static final Duration DEADLINE = Duration.ofSeconds(10);

    public static <T> T until(String what, Supplier<T> probe, Predicate<T> done) {
        return until(what, DEADLINE, probe, done);
    }

    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
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
