package watchtower.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.hook.HookHarness.Sink;

/** Delivery order and what stays owed, in-process against a real loopback sink. */
class OutboxTest {
    @TempDir
    Path dir;

    @Test
    void flushStopsAtTheFirstFailureAndKeepsOrder() throws Exception {
        try (var sink = Sink.start()) {
            var spool = spool();
            for (int i = 0; i < 4; i++) spool.append(SpoolTest.request(i));
            sink.status = 503;
            var outbox = outbox(spool, sink.url());
            assertFalse(outbox.flush());
            assertEquals(1, sink.drain().size(), "stopped after the first failure");
            assertEquals(List.of("0", "1", "2", "3"), spool.oldest(10).stream().map(HookRequest::id).toList());

            sink.status = 200;
            assertTrue(outbox.flush());
            assertEquals(List.of("{\"event_type\":\"E0\"}", "{\"event_type\":\"E1\"}", "{\"event_type\":\"E2\"}",
                    "{\"event_type\":\"E3\"}"), sink.drain().stream().map(HookHarness.Received::body).toList());
            assertTrue(spool.isEmpty());
        }
    }

    @Test
    void withSomethingOwedTheNewRequestGoesBehindIt() throws Exception {
        try (var sink = Sink.start()) {
            var spool = spool();
            spool.append(SpoolTest.request(0));
            outbox(spool, sink.url()).deliver(SpoolTest.request(1));
            assertEquals(List.of("/events", "/events"), sink.drain().stream().map(HookHarness.Received::path).toList());
            assertTrue(spool.isEmpty());
        }
    }

    @Test
    void rejectedEntriesAreSettledNotRetried() throws Exception {
        try (var sink = Sink.start()) {
            var spool = spool();
            spool.append(SpoolTest.request(0));
            sink.status = 400;
            assertTrue(outbox(spool, sink.url()).flush());
            assertTrue(spool.isEmpty());
        }
    }

    @Test
    void aSpoolOfOnlyBrokenLinesIsCleanedByAFlush() throws Exception {
        try (var sink = Sink.start()) {
            var spool = spool();
            spool.append(SpoolTest.request(0));
            java.nio.file.Files.writeString(spool.file(), "{\"id\":\"cut\n", java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(outbox(spool, sink.url()).flush());
            assertTrue(spool.isEmpty(), "nothing left that every later run would trip over");
            assertEquals(List.of(), sink.drain());
        }
    }

    @Test
    void noTimeLeftMeansSpooledWithoutTrying() throws Exception {
        try (var sink = Sink.start()) {
            var spool = spool();
            var log = new HookLog(dir.resolve("hook.log"), HookLog.DEFAULT_MAX_BYTES, "test");
            var outbox = new Outbox(spool, new Sender(sink.url(), Optional.empty(), log), Deadline.unenforced(100), log);
            outbox.deliver(SpoolTest.request(7));
            assertEquals(List.of(), sink.drain());
            assertEquals("7", spool.oldest(1).get(0).id());
        }
    }

    // --- infra ---

    private Spool spool() {
        return new Spool(dir.resolve("spool"), 100, 1 << 20, new java.util.concurrent.locks.ReentrantLock(),
                new HookLog(dir.resolve("hook.log"), HookLog.DEFAULT_MAX_BYTES, "test"));
    }

    private Outbox outbox(Spool spool, String url) {
        var log = new HookLog(dir.resolve("hook.log"), HookLog.DEFAULT_MAX_BYTES, "test");
        return new Outbox(spool, new Sender(url, Optional.empty(), log), Deadline.unenforced(10_000), log);
    }
}
