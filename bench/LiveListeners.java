import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N dashboard-like WebSocket clients on GET /live (ours with the token header). Each waits for
 * its snapshot, then notes every event message whose command is {@code fan:<seq>} with the
 * nanoTime it arrived, and counts {@code probe} messages (used to know all are subscribed
 * before measuring). Uses java.net.http's WebSocket: a few selector threads serve all
 * clients, so 1,000 of them do not need 1,000 threads in this process.
 */
final class LiveListeners implements AutoCloseable {
    private static final int CONNECTING_AT_ONCE = 32;

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "ws-client");
        t.setDaemon(true);
        return t;
    });
    private final List<Listener> listeners = new ArrayList<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final CountDownLatch snapshots;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong eventMessages = new AtomicLong();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger probed = new AtomicInteger();
    private String firstError;

    private LiveListeners(int count) {
        this.snapshots = new CountDownLatch(count);
    }

    /** Connects {@code count} clients (32 handshakes at a time) and waits for their snapshots. */
    static LiveListeners open(ServerProcess server, int count, Duration timeout) throws InterruptedException {
        var live = new LiveListeners(count);
        var clients = new HttpClient[] {newClient(live.executor), newClient(live.executor)};
        var gate = new Semaphore(CONNECTING_AT_ONCE);
        var futures = new ArrayList<CompletableFuture<WebSocket>>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < count; i++) {
            if (!gate.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
            var listener = live.new Listener();
            live.listeners.add(listener);
            var builder = clients[i % clients.length].newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
            if (server.token != null) builder.header("X-UVS-Token", server.token);
            var f = builder.buildAsync(URI.create("ws://127.0.0.1:" + server.port + "/live"), listener)
                    .whenComplete((ws, e) -> {
                        gate.release();
                        if (e != null) live.noteError(e.toString());
                    });
            futures.add(f);
        }
        for (var f : futures) {
            try {
                live.sockets.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (Exception e) {
                live.noteError("connect: " + e);
            }
        }
        live.snapshots.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return live;
    }

    private static HttpClient newClient(ExecutorService executor) {
        return HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(20)).build();
    }

    int requested() {
        return listeners.size();
    }

    /** Clients that received their snapshot. */
    int ready() {
        return (int) (listeners.size() - snapshots.getCount());
    }

    int closedEarly() {
        return closed.get();
    }

    long messages() {
        return messages.get();
    }

    /** Messages of type "event" received by all clients together. */
    long eventMessages() {
        return eventMessages.get();
    }

    int sawProbe() {
        return probed.get();
    }

    long delivered() {
        return listeners.stream().mapToLong(Listener::received).sum();
    }

    String firstError() {
        return firstError;
    }

    private synchronized void noteError(String e) {
        if (firstError == null) firstError = e;
    }

    /** Receipt latency of every delivery: arrival minus {@code sentAt[seq]}. */
    Latencies latencies(long[] sentAt) {
        var all = new Latencies();
        for (var l : listeners) {
            synchronized (l) {
                for (int i = 0; i < l.count; i++) {
                    int seq = (int) l.seqs[i];
                    if (seq >= 0 && seq < sentAt.length && sentAt[seq] != 0) all.add(l.arrivals[i] - sentAt[seq]);
                }
            }
        }
        return all;
    }

    @Override
    public void close() {
        for (var ws : sockets) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench done").whenComplete((w, e) -> ws.abort());
        }
        for (var ws : sockets) ws.abort();
        executor.shutdownNow();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private boolean snapshotSeen;
        private boolean probeSeen;
        long[] seqs = new long[64];
        long[] arrivals = new long[64];
        int count;

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                var message = partial.toString();
                partial.setLength(0);
                handle(message, now);
            }
            ws.request(1);
            return null;
        }

        private void handle(String message, long now) {
            messages.incrementAndGet();
            if (!snapshotSeen) {
                if (message.contains("\"snapshot\"")) {
                    snapshotSeen = true;
                    snapshots.countDown();
                }
                return;
            }
            // ours writes compact JSON, the reference Python's json.dumps puts a space after the colon
            if (message.contains("\"type\":\"event\"") || message.contains("\"type\": \"event\"")) {
                eventMessages.incrementAndGet();
            }
            int at = message.indexOf("fan:");
            if (at >= 0) {
                int end = at + 4;
                while (end < message.length() && Character.isDigit(message.charAt(end))) end++;
                if (end > at + 4) record(Long.parseLong(message.substring(at + 4, end)), now);
            } else if (!probeSeen && message.contains("probe")) {
                probeSeen = true;
                probed.incrementAndGet();
            }
        }

        synchronized int received() {
            return count;
        }

        private synchronized void record(long seq, long now) {
            if (count == seqs.length) {
                seqs = Arrays.copyOf(seqs, count * 2);
                arrivals = Arrays.copyOf(arrivals, count * 2);
            }
            seqs[count] = seq;
            arrivals[count] = now;
            count++;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.incrementAndGet();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.incrementAndGet();
            noteError("socket: " + error);
        }
    }
}
