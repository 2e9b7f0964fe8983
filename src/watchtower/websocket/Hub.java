package watchtower.websocket;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import watchtower.core.Threads;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.WARNING;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Accepts WebSocket upgrades on a JDK HttpServer and fans text messages out to every client.
 * A client is registered before its snapshot is taken, so each sees the snapshot and then every
 * later broadcast, in order, with no gap. broadcast() only queues: a client whose queue is full
 * is closed (1008), so a slow browser never delays the caller or the other clients. Each message
 * is encoded once and the same bytes are queued for everyone; a few shared writers (WriterPool)
 * do the socket writes, so a broadcast wakes a few threads, not one per client. A pinger drops
 * clients that went silent. It knows nothing of sessions, tokens or Origin: the caller
 * checks those before handing the exchange over.
 */
public final class Hub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.websocket");
    static final String WRITER_THREAD_PREFIX = WriterPool.THREAD_PREFIX;
    /** At most this many messages (and a quarter of a client's queue) are queued for each client in one turn. */
    static final int TURN = 32;

    private final HubConfig config;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    // Registration and broadcast take turns, so a new client gets each message entirely or not at
    // all, and concurrent broadcasters reach every client in the same order.
    private final ReentrantLock fanout = new ReentrantLock();
    private final Condition departed = fanout.newCondition();
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledThreadPoolExecutor timers;
    private final ScheduledFuture<?> pinger;
    private final WriterPool writers;
    private final int turn;
    private volatile boolean closed;

    public Hub(HubConfig config) {
        this.config = config;
        this.timers = new ScheduledThreadPoolExecutor(1, Threads.named("ws-timer", true));
        timers.setRemoveOnCancelPolicy(true);
        long every = config.pingInterval().toMillis();
        this.pinger = timers.scheduleAtFixedRate(this::pingAll, every, every, TimeUnit.MILLISECONDS);
        this.writers = new WriterPool(WriterPool.usualSize(), config.queueCapacity(), clients::size, timers);
        this.turn = Math.max(1, Math.min(TURN, config.queueCapacity() / 4));
    }

    public void broadcast(String text) {
        broadcastAll(List.of(text));
    }

    /**
     * Broadcasts messages in order (a commit's), a turn at a time: each client's queue takes a
     * turn's messages under one lock, so n messages cost each client one hand-over, not n. Turns
     * are short (see TURN) so the writers can drain between them: a big commit (a cleanup, a
     * burst of new sessions) fills a client's queue no sooner than as many single broadcasts would.
     */
    public void broadcastAll(List<String> texts) {
        if (closed || texts.isEmpty()) return;
        var frames = new ArrayList<byte[]>(texts.size());
        for (var text : texts) frames.add(FrameWriter.text(text));
        for (int i = 0; i < frames.size(); i += turn) fanOut(frames.subList(i, Math.min(frames.size(), i + turn)));
    }

    private void fanOut(List<byte[]> frames) {
        var ready = new ArrayList<Client>();
        List<Client> stuck = List.of();
        fanout.lock();
        try {
            writers.countBroadcasts(frames.size());
            for (var client : clients) {
                switch (client.offer(frames)) {
                    case READY -> ready.add(client);
                    case FULL -> {
                        if (stuck.isEmpty()) stuck = new ArrayList<>();
                        stuck.add(client);
                    }
                    case QUEUED -> { }  // a writer already holds it and will find these frames
                }
            }
        } finally {
            fanout.unlock();
        }
        if (!writers.submitAll(ready)) ready.forEach(Client::noWriter);  // the hub closed meanwhile
        for (var client : stuck) {
            LOG.log(WARNING, "websocket {0}: {1} messages waiting, dropping the slow client", client.id(),
                    config.queueCapacity());
            client.close(CloseCodes.POLICY_VIOLATION, "client too slow");
        }
    }

    /** Runs on the HTTP handler thread until the socket is done (see the class comment). */
    public void accept(HttpExchange exchange, Supplier<String> snapshot) {
        Handshake handshake;
        try {
            handshake = Handshake.check(exchange.getRequestMethod(), exchange.getRequestHeaders());
        } catch (HandshakeRejected e) {
            reject(exchange, e.status(), e.detail(), e.headers());
            return;
        }
        if (closed) {
            reject(exchange, 503, "server is shutting down", Map.of());
            return;
        }
        if (slots.incrementAndGet() > config.maxClients()) {
            slots.decrementAndGet();
            reject(exchange, 503, "too many live connections (limit " + config.maxClients() + ")", Map.of());
            return;
        }
        try {
            serve(exchange, handshake, snapshot);
        } finally {
            slots.decrementAndGet();
        }
    }

    public int clientCount() {
        return clients.size();
    }

    /** Batches written to the clients connected now, and rests so far (see WriterPool). */
    long writes() {
        return clients.stream().mapToLong(Client::writes).sum();
    }

    long rests() {
        return writers.rests();
    }

    /** Sends 1001 to every client, waits for them to leave (bounded), stops the pinger and timers. */
    @Override
    public void close() {
        fanout.lock();
        try {
            if (closed) return;
            closed = true;
        } finally {
            fanout.unlock();
        }
        pinger.cancel(false);
        for (var client : clients) client.close(CloseCodes.GOING_AWAY, "server shutting down");
        // Each close aborts its socket after the grace, so this wait ends; the margin covers hand-back.
        if (!awaitNoClients(Client.CLOSE_GRACE.toMillis() + 1000)) {
            clients.forEach(Client::abort);
            awaitNoClients(1000);
        }
        timers.shutdownNow();
        writers.close();
    }

    private void serve(HttpExchange exchange, Handshake handshake, Supplier<String> snapshot) {
        RawStreams raw;
        try {
            raw = RawStreams.of(exchange);
        } catch (IllegalStateException e) {
            LOG.log(ERROR, e.getMessage());
            reject(exchange, 500, "WebSocket is unavailable on this server", Map.of());
            return;
        }
        var client = new Client(ids.incrementAndGet(), raw, config, timers, writers);
        try {
            client.upgrade(handshake);
        } catch (IOException e) {
            LOG.log(DEBUG, "websocket {0}: the 101 response failed: {1}", client.id(), e.toString());
            raw.abort();
            raw.release();
            return;
        }
        fanout.lock();
        try {
            clients.add(client);  // from here on, every broadcast is queued for it
            if (closed) client.close(CloseCodes.GOING_AWAY, "server shutting down");
        } finally {
            fanout.unlock();
        }
        try {
            client.run(snapshot);
        } finally {
            fanout.lock();
            try {
                clients.remove(client);
                departed.signalAll();
            } finally {
                fanout.unlock();
            }
        }
    }

    /** Each client is pinged every interval; one we have not heard from within the timeout is dropped. */
    private void pingAll() {
        try {
            long now = System.nanoTime();
            long timeout = config.pongTimeout().toNanos();
            for (var client : clients) {
                if (client.isClosing()) continue;
                if (now - client.lastHeardNanos() > timeout) {
                    LOG.log(WARNING, "websocket {0}: silent for {1}, dropping", client.id(), config.pongTimeout());
                    client.close(CloseCodes.GOING_AWAY, "no pong in time");
                } else {
                    client.ping();
                }
            }
        } catch (RuntimeException e) {
            // A throwing periodic task is silently cancelled; keep pinging instead.
            LOG.log(ERROR, "websocket pinger failed", e);
        }
    }

    private boolean awaitNoClients(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        fanout.lock();
        try {
            while (!clients.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                departed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return clients.isEmpty();
        } finally {
            fanout.unlock();
        }
    }

    private static void reject(HttpExchange exchange, int status, String detail, Map<String, String> headers) {
        var body = ("{\"detail\":\"" + jsonEscape(detail) + "\"}").getBytes(UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            LOG.log(DEBUG, "websocket rejection {0} not delivered: {1}", status, e.toString());
        }
    }

    private static String jsonEscape(String s) {
        var out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.toString();
    }
}
