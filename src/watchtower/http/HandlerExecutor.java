package watchtower.http;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import watchtower.core.HandOffs;

/**
 * Runs the HTTP server's handlers on a pool of platform threads, with one worker kept warm: a
 * worker that finishes its request while no other request is running waits a moment (spinning,
 * {@link #WARM_NANOS}) for the next one before it goes back to the pool.
 *
 * <p>Why: one agent posts its hook events one after another, and each request reached a parked
 * worker. Waking a parked thread costs about 25 us on the virtual machines we run on, a sixth of
 * a whole request; a warm worker takes the next request without that wake-up. The spin is short
 * and happens only while nothing else is running, so an idle server uses no CPU and a busy one
 * (other requests running, which keep the cores busy) never spins: its workers park as before.
 * Nor does it spin once a request has handed work to another of our threads ({@link HandOffs}: a
 * write queued for the database writer, a message for the WebSocket writers): on two cores a
 * spinning worker made that thread wait, and an http hook's round trip doubled.
 *
 * <p>A handler that will hold its thread for a connection's life (a WebSocket) calls
 * {@link #holdsThread()}: it no longer counts as running, or no worker would ever stay warm while a
 * dashboard is open.
 */
public final class HandlerExecutor extends AbstractExecutorService {
    /** Longer than one client's turn-around between two requests (about 50 us here), short as CPU goes. */
    static final long WARM_NANOS = TimeUnit.MICROSECONDS.toNanos(150);
    private static final Object WAITING = new Object();
    private static final Object NONE = new Object();
    /** The counter the current thread's request is counted in, while it is. */
    private static final ThreadLocal<AtomicInteger> COUNTED_IN = new ThreadLocal<>();

    private final ExecutorService pool;
    /** {@link #NONE}, {@link #WAITING} (a warm worker spins on it), or the request handed to that worker. */
    private final AtomicReference<Object> warm = new AtomicReference<>(NONE);
    /** Requests being handled, less those that hold their thread for good. */
    private final AtomicInteger running = new AtomicInteger();

    public HandlerExecutor(ExecutorService pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable request) {
        running.incrementAndGet();
        if (warm.compareAndSet(WAITING, request)) return;
        try {
            pool.execute(() -> {
                long handOffs = HandOffs.count();
                run(request);
                stayWarm(handOffs);
            });
        } catch (RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
    }

    /** Called on a handler's thread: this request holds its thread for long (a WebSocket); stop counting it. */
    public static void holdsThread() {
        var counter = COUNTED_IN.get();
        if (counter == null) return; // not one of ours (virtual threads, tests)
        COUNTED_IN.remove();
        counter.decrementAndGet();
    }

    private void run(Runnable request) {
        COUNTED_IN.set(running);
        try {
            request.run();
        } finally {
            if (COUNTED_IN.get() != null) running.decrementAndGet();
            COUNTED_IN.remove();
        }
    }

    /** Takes requests handed to the warm slot for as long as they keep coming; then back to the pool. */
    private void stayWarm(long handOffs) {
        while (quiet(handOffs) && warm.compareAndSet(NONE, WAITING)) {
            long until = System.nanoTime() + WARM_NANOS;
            while (warm.get() == WAITING && quiet(handOffs) && System.nanoTime() < until) Thread.onSpinWait();
            if (warm.compareAndSet(WAITING, NONE)) return; // nothing came, or others need the core: park in the pool
            var request = (Runnable) warm.getAndSet(NONE);
            handOffs = HandOffs.count();
            run(request);
        }
    }

    /** No other request runs and no other thread of ours was handed work since {@code handOffs} was read. */
    private boolean quiet(long handOffs) {
        return running.get() == 0 && HandOffs.count() == handOffs && !pool.isShutdown();
    }

    /** Requests counted as running (for tests). */
    int running() {
        return running.get();
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }
}
