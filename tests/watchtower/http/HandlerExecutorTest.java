package watchtower.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import watchtower.core.HandOffs;

class HandlerExecutorTest {
    /** The pool under the executor: counts the requests that went through it rather than to the warm worker. */
    private final AtomicInteger uncaught = new AtomicInteger();
    private final ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newCachedThreadPool(r -> {
        var t = new Thread(r);
        t.setUncaughtExceptionHandler((thread, e) -> uncaught.incrementAndGet()); // the JDK's server never lets one out
        return t;
    });
    private final HandlerExecutor executor = new HandlerExecutor(pool);

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdown();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS), "workers, warm ones too, stop at shutdown");
    }

    @Test
    void everyRequestRunsOnceUnderConcurrency() throws Exception {
        var ran = new AtomicInteger();
        var submitters = Executors.newFixedThreadPool(4);
        var all = new CountDownLatch(20_000);
        for (int s = 0; s < 4; s++) {
            submitters.execute(() -> {
                for (int i = 0; i < 5_000; i++) executor.execute(() -> { ran.incrementAndGet(); all.countDown(); });
            });
        }
        assertTrue(all.await(30, TimeUnit.SECONDS));
        submitters.shutdown();
        assertEquals(20_000, ran.get());
        awaitRunning(0);
    }

    @Test
    void requestsOneAfterAnotherAreTakenByTheWarmWorker() throws Exception {
        int n = sequential(1_000);
        assertTrue(pool.getTaskCount() < n,
                "some of " + n + " back-to-back requests skipped the pool: " + pool.getTaskCount() + " went through it");
    }

    @Test
    void noWorkerStaysWarmWhileAnotherRequestRuns() throws Exception {
        var release = new CountDownLatch(1);
        executor.execute(() -> await(release));
        int n = sequential(300);
        assertEquals(n + 1, pool.getTaskCount(), "with a request running, every request goes through the pool");
        release.countDown();
        awaitRunning(0);
    }

    @Test
    void noWorkerStaysWarmAfterARequestHandedWorkToAnotherThread() throws Exception {
        int n = 300;
        for (int i = 0; i < n; i++) {
            var done = new CompletableFuture<Void>();
            executor.execute(() -> {
                HandOffs.note(); // as a write queued for the database writer does
                done.complete(null);
            });
            done.get(5, TimeUnit.SECONDS);
        }
        assertEquals(n, pool.getTaskCount(), "every request went through the pool");
    }

    @Test
    void aRequestThatHoldsItsThreadDoesNotKeepWorkersCold() throws Exception {
        var release = new CountDownLatch(1);
        var held = new CountDownLatch(1);
        executor.execute(() -> {
            HandlerExecutor.holdsThread();
            held.countDown();
            await(release);
        });
        assertTrue(held.await(5, TimeUnit.SECONDS));
        awaitRunning(0);
        int n = sequential(1_000);
        assertTrue(pool.getTaskCount() < n + 1, "the warm worker took some requests beside a held thread");
        release.countDown();
        awaitRunning(0);
    }

    @Test
    void aFailingRequestIsNoLongerCounted() throws Exception {
        var done = new CountDownLatch(1);
        executor.execute(() -> {
            done.countDown();
            throw new IllegalStateException("handler bug");
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        awaitRunning(0);
        sequential(10);
        awaitRunning(0);
    }

    /** Runs {@code n} requests one after another, each submitted as soon as the previous one finished. */
    private int sequential(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            var done = new CompletableFuture<Void>();
            executor.execute(() -> done.complete(null));
            done.get(5, TimeUnit.SECONDS);
        }
        return n;
    }

    private void awaitRunning(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (executor.running() != expected && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(expected, executor.running());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
