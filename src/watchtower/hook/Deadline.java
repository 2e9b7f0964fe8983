package watchtower.hook;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The whole run's time budget. Claude Code waits for a command hook, so at the deadline a
 * watchdog ends the run with status 0 whatever is still going on (a hung socket, a blocked
 * stdin, a CPU so busy the JVM crawls). Before halting it takes the {@link #critical()}
 * lock (held by the spool around each operation, so no line is cut short) and runs the
 * last will, which spools the request still in flight. The budget is for waiting on the
 * network, not for a starved CPU: a run that has not yet built its request (measured on a
 * 2-core box at load 11: 1.3-1.8 s from main to the input read) gets up to
 * {@link #PREPARE_GRACE_MS} more to build it, so it can be spooled rather than lost; only
 * a stdin that never closes (never Claude Code's) pays that grace for nothing. A second
 * timer halts regardless, so nothing can hold the agent past deadline + {@link #LAST_WILL_MS}.
 * Requests read {@link #remainingMs()} to size their timeouts. (Anonymous classes, not
 * lambdas, here and on the hook's path: each first lambda costs a cold JVM ~20-40 ms.)
 */
public final class Deadline {
    /** How long the watchdog waits for a spool operation in progress. */
    static final long CRITICAL_GRACE_MS = 300;
    /** How long a run that is working (not waiting) on its request may overrun the deadline. */
    static final long PREPARE_GRACE_MS = 2000;
    /** The most the end of a run may overrun the deadline. */
    static final long LAST_WILL_MS = PREPARE_GRACE_MS + CRITICAL_GRACE_MS + 400;

    private final long endNanos;
    private final ReentrantLock critical = new ReentrantLock();
    private volatile Runnable lastWill;
    private final CountDownLatch prepared = new CountDownLatch(1);

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
        daemon("wthook-deadline", new Runnable() {
            @Override
            public void run() {
                d.watch();
            }
        });
        return d;
    }

    public long remainingMs() {
        return TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
    }

    public ReentrantLock critical() {
        return critical;
    }

    /** The request is in flight (or there is none): nothing more to wait for. */
    public void prepared() {
        prepared.countDown();
    }

    /** What the watchdog runs, holding {@link #critical()}, just before it halts. */
    public void onExpiry(Runnable lastWill) {
        this.lastWill = lastWill;
    }

    private void watch() {
        try {
            long left;
            while ((left = endNanos - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(left);
            daemon("wthook-halt", new Runnable() {
                @Override
                public void run() {
                    try {
                        TimeUnit.MILLISECONDS.sleep(LAST_WILL_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(0);
                }
            });
            prepared.await(PREPARE_GRACE_MS, TimeUnit.MILLISECONDS);
            var will = lastWill;
            if (critical.tryLock(CRITICAL_GRACE_MS, TimeUnit.MILLISECONDS) && will != null) will.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the last will failed; it logged what it could, and halting is all that is left
        }
        // the hook's contract is "exit 0, quickly": never let a hung socket hold the agent
        Runtime.getRuntime().halt(0);
    }

    private static void daemon(String name, Runnable body) {
        var t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
