package watchtower.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-client queue's rules, without sockets: bounds, priorities, and what a close does. */
class OutboxTest {
    @Test
    void offerReportsAFullQueueInsteadOfWaiting() {
        var box = new Outbox(2);
        assertTrue(box.offer(b("1")));
        assertTrue(box.offer(b("2")));
        assertFalse(box.offer(b("3")));
    }

    @Test
    void snapshotGoesAheadOfQueuedBroadcastsEvenWhenFull() throws Exception {
        var box = new Outbox(1);
        box.offer(b("broadcast"));
        box.first(b("snapshot"));
        assertEquals(List.of("snapshot", "broadcast"), drain(box, 2));
    }

    @Test
    void pingAndPongJumpAheadOfDataAndOnlyTheLatestPongWaits() throws Exception {
        var box = new Outbox(10);
        box.offer(b("data"));
        for (int i = 0; i < 1000; i++) box.pong(b("pong" + i));  // a ping flood costs one frame
        box.ping(b("ping1"));
        box.ping(b("ping2"));  // one keep-alive ping at a time
        assertEquals(List.of("pong999", "ping1", "data"), drain(box, 3));
    }

    @Test
    void closeFrameDropsWhatWaitedAndIsTheLastFrame() throws Exception {
        var box = new Outbox(10);
        box.offer(b("stale"));
        box.pong(b("pong"));
        assertTrue(box.closeWith(b("close")));
        assertFalse(box.closeWith(b("second close")));
        assertTrue(box.offer(b("late")), "a closing client is not reported as full");
        assertEquals(List.of("close"), drain(box, 1));
        assertNull(box.take());
    }

    @Test
    void shutdownReleasesAWaitingWriter() throws Exception {
        var box = new Outbox(10);
        var taken = new CompletableFuture<byte[]>();
        var writer = new Thread(() -> {
            try {
                taken.complete(box.take());
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        writer.start();
        box.shutdown();
        assertNull(taken.get(5, TimeUnit.SECONDS), "take() returned null after shutdown");
    }

    // --- infra ---

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> drain(Outbox box, int n) throws InterruptedException {
        var out = new ArrayList<String>();
        for (int i = 0; i < n; i++) out.add(new String(box.take(), UTF_8));
        return out;
    }
}
