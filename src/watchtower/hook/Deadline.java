package watchtower.hook;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The whole run's time budget. Claude Code waits for a command hook, so past the budget a
 * watchdog halts the JVM with status 0 whatever is still running (a hung socket, a blocked
 * stdin). It first waits briefly for the {@link #critical()} lock, which the spool holds
 * while writing, so a halt never leaves half a line. Requests ask {@link #remainingMs()}
 * to size their timeouts and leave room to spool what failed.
 */
public final class Deadline {
    /** How long the watchdog lets a spool write finish before it halts anyway. */
    static final long CRITICAL_GRACE_MS = 300;

    private final long endNanos;
    private final ReentrantLock critical = new ReentrantLock();

    private Deadline(long startNanos, long budgetMs) {
        this.endNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(budgetMs);
    }

    /** A budget without a watchdog, for code that must not halt its JVM (tests). */
    public static Deadline unenforced(long budgetMs) {
        return new Deadline(System.nanoTime(), budgetMs);
    }

    /** Starts the watchdog: a daemon thread that halts the JVM with 0 at the deadline. */
    public static Deadline enforced(long startNanos, long budgetMs) {
        var d = new Deadline(startNanos, budgetMs);
        var t = new Thread(d::watch, "wthook-deadline");
        t.setDaemon(true);
        t.start();
        return d;
    }

    public long remainingMs() {
        return TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
    }

    public ReentrantLock critical() {
        return critical;
    }

    private void watch() {
        try {
            long left;
            while ((left = endNanos - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(left);
            critical.tryLock(CRITICAL_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the hook's contract is "exit 0, quickly": never let a hung socket hold the agent
        Runtime.getRuntime().halt(0);
    }
}
