package watchtower.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: each operation succeeds or changes nothing, alone in its group or among others. */
class WriterTest {
    @TempDir
    Path dir;

    @Test
    void aFailingOperationAloneInItsGroupChangesNothingAndLaterWritesCommit() throws Exception {
        try (var store = Store.open(dir.resolve("w.db"), m -> { })) {
            var failure = assertThrows(IllegalStateException.class, () -> store.writer().<Boolean>execute(tx -> {
                store.sessions().upsert(tx, SessionsStore.Upsert.of("doomed"));
                throw new IllegalStateException("refused after writing");
            }));
            assertEquals("refused after writing", failure.getMessage());
            assertTrue(store.sessions().find("doomed").isEmpty(), "the failed write was rolled back");
            // the same kept statements serve the next writes
            for (int i = 0; i < 3; i++) {
                var id = "kept-" + i;
                boolean created = store.writer().execute(tx -> store.sessions().upsert(tx, SessionsStore.Upsert.of(id)));
                assertTrue(created, id + " is new");
            }
            assertEquals(3, store.sessions().count());
        }
    }

    @Test
    void aFailingOperationInABusyGroupRollsBackAloneWhileTheOthersCommit() throws Exception {
        try (var store = Store.open(dir.resolve("w.db"), m -> { })) {
            var held = holdWriter(store);
            // both queue behind the held one, so the writer drains them as one group
            var failing = store.writer().<Boolean>submit(tx -> {
                store.sessions().upsert(tx, SessionsStore.Upsert.of("doomed"));
                throw new SQLException("refused after writing");
            });
            var fine = store.writer().submit(tx -> store.sessions().upsert(tx, SessionsStore.Upsert.of("kept")));
            held.release();
            var error = assertThrows(ExecutionException.class, () -> failing.get(5, TimeUnit.SECONDS));
            assertTrue(error.getCause() instanceof StoreException, String.valueOf(error.getCause()));
            assertTrue(fine.get(5, TimeUnit.SECONDS), "the other operation created its session");
            assertTrue(store.sessions().find("doomed").isEmpty(), "the failed operation left nothing");
            assertTrue(store.sessions().find("kept").isPresent());
        }
    }

    @Test
    void aGroupsMessagesReachTheBroadcasterAsOneBatchInCommitOrderWithoutTheFailedOnes() throws Exception {
        var batches = new java.util.concurrent.LinkedBlockingQueue<java.util.List<Object>>();
        try (var store = Store.open(dir.resolve("w.db"), batches::add)) {
            var held = holdWriter(store);
            // the three queue behind the held one, so the writer drains them as one group
            var first = store.writer().submit(tx -> {
                tx.broadcast("a1");
                tx.broadcast("a2");
                return true;
            });
            var failing = store.writer().<Boolean>submit(tx -> {
                tx.broadcast("never");
                throw new SQLException("refused after broadcasting");
            });
            var last = store.writer().submit(tx -> {
                tx.broadcast("c");
                return true;
            });
            held.release();
            assertTrue(first.get(5, TimeUnit.SECONDS) && last.get(5, TimeUnit.SECONDS));
            assertThrows(ExecutionException.class, () -> failing.get(5, TimeUnit.SECONDS));
            assertEquals(java.util.List.of("a1", "a2", "c"), batches.poll(5, TimeUnit.SECONDS),
                    "one call for the group, in commit order, nothing from the rolled-back operation;"
                    + " none before it for the holding operation's group, which had no messages");
            assertEquals(null, batches.poll(), "and no call after it");
        }
    }

    @Test
    void aLoneWriteCommitsOnItsCallersThreadButNeverOvertakesAQueuedOne() throws Exception {
        try (var store = Store.open(dir.resolve("w.db"), m -> { })) {
            var caller = Thread.currentThread();
            assertEquals(caller, store.writer().execute(tx -> Thread.currentThread()),
                    "an idle writer: the caller commits its own write, no hand-off to the writer thread");

            var writerHeld = new CountDownLatch(1);
            var release = new CountDownLatch(1);
            var order = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            var held = store.writer().submit(tx -> {
                writerHeld.countDown();
                awaitQuietly(release);
                order.add("queued first");
                return Thread.currentThread();
            });
            assertTrue(writerHeld.await(5, TimeUnit.SECONDS), "the writer thread took the queued operation");
            var later = java.util.concurrent.CompletableFuture.supplyAsync(() -> store.writer().execute(tx -> {
                order.add("asked later");
                return Thread.currentThread();
            }));
            watchtower.testing.Eventually.until("the later write queued", store.writer()::uncommitted, n -> n == 2);
            release.countDown();
            var laterThread = later.get(5, TimeUnit.SECONDS);
            assertEquals(held.get(5, TimeUnit.SECONDS), laterThread, "a busy writer: the later write queued for its thread");
            assertEquals(java.util.List.of("queued first", "asked later"), java.util.List.copyOf(order), "commit order");
        }
    }

    @Test
    void aWriteAskedForInsideAWriteFailsAtOnceAndTheOuterOneRollsBack() throws Exception {
        try (var store = Store.open(dir.resolve("w.db"), m -> { })) {
            var error = assertThrows(IllegalStateException.class, () -> store.writer().<Boolean>execute(tx -> {
                store.sessions().upsert(tx, SessionsStore.Upsert.of("outer"));
                return store.writer().execute(inner -> store.sessions().upsert(inner, SessionsStore.Upsert.of("inner")));
            }));
            assertEquals("a write asked for inside a write", error.getMessage());
            assertTrue(store.sessions().find("outer").isEmpty(), "the outer write was rolled back");
            assertTrue(store.sessions().find("inner").isEmpty());
        }
    }

    // --- infra ---

    /** The writer thread busy with an operation that waits for {@link HeldWriter#release()}. */
    private record HeldWriter(CountDownLatch gate, java.util.concurrent.CompletableFuture<Boolean> done) {
        void release() throws Exception {
            gate.countDown();
            assertTrue(done.get(5, TimeUnit.SECONDS), "the held operation was released");
        }
    }

    /** Occupies the writer thread, so operations submitted until release() queue and commit as one group. */
    private static HeldWriter holdWriter(Store store) throws InterruptedException {
        var taken = new CountDownLatch(1);
        var gate = new CountDownLatch(1);
        var done = store.writer().submit(tx -> {
            taken.countDown();
            return awaitQuietly(gate);
        });
        assertTrue(taken.await(5, TimeUnit.SECONDS), "the writer took the holding operation");
        return new HeldWriter(gate, done);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
