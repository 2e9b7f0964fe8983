package watchtower.websocket;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-client queue's rules, without sockets: bounds, priorities, batches, hand-over to one writer, closing. */
class OutboxTest {
    @Test
    void offerReportsAFullQueueInsteadOfWaiting() {
        var box = opened(2);
        assertEquals(Offer.READY, box.offer(one("1")));
        assertEquals(Offer.QUEUED, box.offer(one("2")));
        assertEquals(Offer.FULL, box.offer(one("3")));
    }

    @Test
    void aBatchIsQueuedWholeOrNotAtAll() {
        var box = opened(3);
        assertEquals(Offer.READY, box.offer(List.of(b("1"), b("2"))));
        assertEquals(Offer.FULL, box.offer(List.of(b("3"), b("4"))), "two more would make four, over the three allowed");
        assertEquals(List.of("1", "2"), batch(box), "nothing of the refused batch was queued");
    }

    @Test
    void aQueueIsFullByItsBytesTooAndWritingFreesThem() {
        var box = new Outbox(100, 10);
        assertFalse(box.open());
        assertEquals(Offer.READY, box.offer(one("12345")));
        assertEquals(Offer.QUEUED, box.offer(one("6789")));
        assertEquals(Offer.FULL, box.offer(one("ab")), "11 bytes would wait, over the 10 allowed");
        assertEquals(List.of("12345", "6789"), batch(box));
        assertEquals(Offer.QUEUED, box.offer(one("abcdefghij")), "written bytes no longer count");
    }

    @Test
    void aSnapshotLargerThanTheByteBoundIsStillQueuedAndDoesNotFillTheQueue() {
        var box = new Outbox(1, 4);
        box.first(b("a long snapshot"));
        assertEquals(Offer.QUEUED, box.offer(one("next")), "the snapshot counts against neither bound");
        assertTrue(box.open());
        assertEquals(List.of("a long snapshot", "next"), batch(box));
    }

    @Test
    void snapshotGoesAheadOfQueuedBroadcastsEvenWhenFull() {
        var box = new Outbox(1);
        assertEquals(Offer.QUEUED, box.offer(one("broadcast")), "nothing is written before open()");
        box.first(b("snapshot"));
        assertTrue(box.open(), "open() hands the client to a writer once the snapshot is in place");
        assertEquals(List.of("snapshot", "broadcast"), batch(box));
    }

    @Test
    void onlyTheFirstOfferWakesAWriterUntilTheWriterReleasesTheClient() {
        var box = opened(10);
        assertEquals(Offer.READY, box.offer(one("1")));
        assertEquals(Offer.QUEUED, box.offer(one("2")));
        assertFalse(box.ping(b("ping")), "a writer is already on its way");
        assertEquals(List.of("ping", "1", "2"), batch(box));
        assertEquals(Offer.QUEUED, box.offer(one("3")), "the writer still holds it");
        assertTrue(box.release(), "more arrived during the write: queue it again");
        assertEquals(List.of("3"), batch(box));
        assertFalse(box.release(), "nothing left: idle");
        assertEquals(Offer.READY, box.offer(one("4")), "the next frame wakes a writer again");
    }

    @Test
    void pingAndPongJumpAheadOfDataAndOnlyTheLatestPongWaits() {
        var box = opened(10);
        box.offer(one("data"));
        for (int i = 0; i < 1000; i++) box.pong(b("pong" + i));  // a ping flood costs one frame
        box.ping(b("ping1"));
        box.ping(b("ping2"));  // one keep-alive ping at a time
        assertEquals(List.of("pong999", "ping1", "data"), batch(box));
    }

    @Test
    void aBatchStopsAtItsByteBudgetButAlwaysTakesOneMessage() {
        var box = opened(10);
        var big = new byte[Outbox.BATCH_BYTES + 1];
        box.offer(List.of(big));
        box.offer(one("small"));
        var first = new ArrayList<byte[]>();
        assertTrue(box.takeBatch(first));
        assertEquals(1, first.size(), "an oversized message goes alone");
        assertTrue(box.release());
        assertEquals(List.of("small"), batch(box));
    }

    @Test
    void closeFrameDropsWhatWaitedAndIsTheLastFrame() {
        var box = opened(10);
        box.offer(one("stale"));
        box.pong(b("pong"));
        box.closeWith(b("close"));
        assertFalse(box.closeWith(b("second close")));
        assertEquals(Offer.QUEUED, box.offer(one("late")), "a closing client is not reported as full");
        var frames = new ArrayList<byte[]>();
        assertFalse(box.takeBatch(frames), "nothing follows the close frame");
        assertEquals(List.of("close"), strings(frames));
    }

    @Test
    void shutdownSaysWhetherAWriterStillHoldsTheClient() {
        var idle = opened(10);
        assertTrue(idle.shutdown(), "no writer holds it: the caller counts it finished");

        var held = opened(10);
        held.offer(one("1"));
        assertFalse(held.shutdown(), "a writer holds it and will find it finished");
        assertTrue(held.release(), "so the writer's next turn...");
        var frames = new ArrayList<byte[]>();
        assertFalse(held.takeBatch(frames), "...ends it, writing nothing more");
        assertTrue(frames.isEmpty());
    }

    // --- infra ---

    private static Outbox opened(int capacity) {
        var box = new Outbox(capacity);
        assertFalse(box.open(), "nothing queued yet");
        return box;
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** A broadcast of one message. */
    private static List<byte[]> one(String s) {
        return List.of(b(s));
    }

    private static List<String> batch(Outbox box) {
        var frames = new ArrayList<byte[]>();
        assertTrue(box.takeBatch(frames));
        return strings(frames);
    }

    private static List<String> strings(List<byte[]> frames) {
        return frames.stream().map(f -> new String(f, UTF_8)).toList();
    }
}
