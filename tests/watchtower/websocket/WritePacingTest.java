package watchtower.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listener's writes are paced only when the stream is busy (WriterPool.GAP): at a dashboard's
 * rate every message goes out as soon as it is broadcast; under heavy ingest a client gets what
 * arrived over a gap (50 ms, shorter when that would fill its queue) in one write. The sender is paced on purpose: a broadcast
 * loop with no pause would outrun one writer and batch by itself, pacing or not.
 */
class WritePacingTest {
    TestServer server;
    JavaClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) client.ws.abort();
        if (server != null) server.close();
    }

    @Test
    void aQuietStreamIsWrittenAtOnceAndABusyOneInBatches() throws Exception {
        server = new TestServer(HubConfig.defaults());
        client = JavaClient.connect(server.wsUri());
        assertEquals(HubTest.SNAPSHOT, client.next());

        // 50 a second, well under WriterPool.BUSY_PER_SECOND: nothing is held back
        for (int i = 0; i < 15; i++) {
            server.hub.broadcast("quiet" + i);
            assertEquals("text:quiet" + i, client.next());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));  // the sender's pace, not a wait
        }
        assertEquals(0, server.hub.rests(), "a quiet stream never rests");

        // about 2,000 a second for 0.6 s: busy after the first window of 100 ms
        long writesBefore = server.hub.writes();
        int sent = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() < end && sent < 5_000) {
            server.hub.broadcast("busy" + sent++);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
        }
        for (int i = 0; i < sent; i++) assertEquals("text:busy" + i, client.next());
        long writes = server.hub.writes() - writesBefore;
        assertTrue(server.hub.rests() > 0, "a busy stream rests");
        assertTrue(writes * 3 < sent, writes + " writes for " + sent + " messages: not batched");
    }

    @Test
    void aRestingClientIsNotDroppedForWhatPiledUpWhileItRested() throws Exception {
        int capacity = 100;
        server = new TestServer(new HubConfig(10, capacity, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        client = JavaClient.connect(server.wsUri());
        assertEquals(HubTest.SNAPSHOT, client.next());

        // about 3,000 a second for 0.6 s: a full GAP's rest would pile up over the client's 100
        int sent = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() < end && sent < 5_000) {
            server.hub.broadcast("fast" + sent++);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(250));
        }
        long elapsed = System.nanoTime() - start;
        assertTrue(sent * WriterPool.GAP / elapsed > capacity,
                "the premise: " + sent + " messages in " + elapsed / 1_000_000 + " ms would overfill a rest of GAP");
        for (int i = 0; i < sent; i++) assertEquals("text:fast" + i, client.next());
        assertTrue(server.hub.rests() > 0, "a busy stream rests");
        assertFalse(client.closed.isDone(), "the client was closed: " + client.closed);
    }
}
