package watchtower.websocket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import watchtower.core.Threads;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Hub against real clients on a real HttpServer: the JDK's WebSocket client for delivery
 * and ordering, raw sockets for clients that misbehave (never read, never answer pings, vanish).
 */
class HubTest {
    static final String SNAPSHOT = "text:" + TestServer.SNAPSHOT;

    TestServer server;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (var c : toClose) c.close();
        if (server != null) server.close();
    }

    @Test
    void snapshotComesFirstThenEveryBroadcastInOrder() throws Exception {
        start(HubConfig.defaults());
        var client = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, client.next());
        for (int i = 0; i < 200; i++) server.hub.broadcast("m" + i);
        for (int i = 0; i < 200; i++) assertEquals("text:m" + i, client.next());
    }

    @Test
    void aCommitsMessagesArriveInOrderBetweenSingleBroadcasts() throws Exception {
        start(HubConfig.defaults());
        var client = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, client.next());
        var commit = new ArrayList<String>();
        for (int i = 0; i < 3 * Hub.TURN + 5; i++) commit.add("c" + i);  // several turns' worth
        server.hub.broadcast("before");
        server.hub.broadcastAll(commit);
        server.hub.broadcast("after");
        assertEquals("text:before", client.next());
        for (var m : commit) assertEquals("text:" + m, client.next());
        assertEquals("text:after", client.next());
    }

    @Test
    void largeMessagesArriveWhole() throws Exception {
        start(HubConfig.defaults());
        var client = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, client.next());
        var medium = "é€x".repeat(200_000 / 6);       // about 200 KB of mixed 1-, 2- and 3-byte characters
        var large = "y".repeat(1 << 20);               // 1 MiB
        server.hub.broadcast(medium);
        server.hub.broadcast(large);
        assertEquals("text:" + medium, client.next());
        assertEquals("text:" + large, client.next());
    }

    @Test
    void clientPingGetsPongWithSamePayload() throws Exception {
        start(HubConfig.defaults());
        var client = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, client.next());
        client.ws.sendPing(ByteBuffer.wrap("are you there".getBytes(UTF_8))).get(5, TimeUnit.SECONDS);
        assertEquals("pong:are you there", client.next());
    }

    @Test
    void cleanCloseIsEchoedAndTheClientLeaves() throws Exception {
        start(HubConfig.defaults());
        var client = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, client.next());
        assertEquals(1, server.hub.clientCount());
        client.ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertEquals(1000, client.closed.get(5, TimeUnit.SECONDS));
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 0));
    }

    @Test
    void closingTheHubSendsGoingAwayToEveryClient() throws Exception {
        start(HubConfig.defaults());
        var a = JavaClient.connect(server.wsUri());
        var b = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, a.next());
        assertEquals(SNAPSHOT, b.next());
        server.hub.close();
        assertEquals(1001, a.closed.get(5, TimeUnit.SECONDS));
        assertEquals(1001, b.closed.get(5, TimeUnit.SECONDS));
        assertEquals(0, server.hub.clientCount());
    }

    @Test
    void clientsJoiningDuringABurstMissNothingAfterTheirSnapshot() throws Exception {
        // The "state" is the last number committed; the snapshot reports it, as a real one would.
        var committed = new AtomicInteger(-1);
        server = new TestServer(new HubConfig(100, 10_000, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60)),
                () -> "{\"last\":" + committed.get() + "}");
        int total = 5_000;
        var early = JavaClient.connect(server.wsUri());
        assertEquals("text:{\"last\":-1}", early.next());

        // One thread commits and broadcasts; every few hundred messages it starts a client and keeps
        // going (lightly paced, so the burst outlasts the handshake) until that client is connected.
        var joined = new ArrayList<CompletableFuture<JavaClient>>();
        int n = 0;
        while (n < total) {
            if (n % 600 == 100) {
                var pending = JavaClient.connectAsync(server.wsUri());
                joined.add(pending);
                while (!pending.isDone() && n < total) {
                    committed.set(n);
                    server.hub.broadcast(Integer.toString(n++));
                    LockSupport.parkNanos(50_000);
                }
            }
            if (n < total) {
                committed.set(n);
                server.hub.broadcast(Integer.toString(n++));
            }
        }
        server.hub.broadcast("end");

        var clients = new ArrayList<JavaClient>();
        clients.add(early);
        for (var f : joined) clients.add(f.get(10, TimeUnit.SECONDS));
        int midBurst = 0;
        for (var client : clients) {
            int last = client == early ? -1 : snapshotLast(client.next());
            var seen = new ArrayList<Integer>();
            for (var e = client.next(); !e.equals("text:end"); e = client.next()) {
                seen.add(Integer.parseInt(e.substring("text:".length())));
            }
            if (last == total - 1) continue;  // joined after the burst: the snapshot has it all
            // Repeats of what the snapshot already shows are fine; a gap after it is not.
            assertFalse(seen.isEmpty(), "updates after a snapshot at " + last);
            assertTrue(seen.get(0) <= last + 1, "gap between snapshot " + last + " and first update " + seen.get(0));
            for (int i = 1; i < seen.size(); i++) {
                assertEquals(seen.get(i - 1) + 1, seen.get(i), "no gap and no reordering after " + seen.get(i - 1));
            }
            assertEquals(total - 1, seen.get(seen.size() - 1), "runs to the end of the burst");
            if (last >= 0) midBurst++;
        }
        assertTrue(midBurst > 0, "at least one client registered while the burst was running");
    }


    @Test
    void stuckClientIsDroppedWhileAHealthyOneGetsEverythingAndBroadcastNeverBlocks() throws Exception {
        start(new HubConfig(100, 8, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        var healthy = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, healthy.next());
        var stuck = raw();  // completes the handshake, then never reads again
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 2));

        ExecutorService broadcaster = Executors.newSingleThreadExecutor();
        try {
            var chunk = "z".repeat(64 * 1024);
            int sent = 0;
            // Enough to fill the kernel buffers of the stuck socket many times over.
            while (sent < 600 && !(sent > 100 && server.hub.clientCount() == 1)) {
                var msg = sent + ":" + chunk;
                var call = CompletableFuture.runAsync(() -> server.hub.broadcast(msg), broadcaster);
                call.get(2, TimeUnit.SECONDS);  // a TimeoutException here means broadcast blocked
                assertEquals("text:" + msg, healthy.next(), "healthy client got message " + sent);
                sent++;
            }
            assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 1),
                    "the stuck client was dropped after " + sent + " messages");
            assertTrue(stuck.closedByServer(10_000), "the server closed the stuck client's socket");
            server.hub.broadcast("after");
            assertEquals("text:after", healthy.next());
        } finally {
            broadcaster.shutdownNow();
        }
    }

    @Test
    void moreStuckClientsThanWritersStillDoNotHoldUpAHealthyOne() throws Exception {
        start(new HubConfig(100, 8, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60)));
        var healthy = JavaClient.connect(server.wsUri());
        assertEquals(SNAPSHOT, healthy.next());
        int stuckCount = WriterPool.usualSize() + 2;  // enough to block every usual writer at once
        for (int i = 0; i < stuckCount; i++) raw();
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 1 + stuckCount));

        var chunk = "z".repeat(64 * 1024);
        int sent = 0;
        while (sent < 600 && !(sent > 100 && server.hub.clientCount() == 1)) {
            var msg = sent + ":" + chunk;
            long t0 = System.nanoTime();
            server.hub.broadcast(msg);
            var got = healthy.events.poll(2, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(("text:" + msg).equals(got), "healthy client did not get message " + sent + " within 2 s ("
                    + ms + " ms, " + server.hub.clientCount() + " clients left)");
            sent++;
        }
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 1),
                "every stuck client was dropped after " + sent + " messages");
    }

    @Test
    void fiftyClientsShareAFewWritersAndEachGetsEveryMessageInOrder() throws Exception {
        start(HubConfig.defaults());
        var clients = new ArrayList<JavaClient>();
        for (int i = 0; i < 50; i++) clients.add(JavaClient.connect(server.wsUri()));
        for (var c : clients) assertEquals(SNAPSHOT, c.next());
        long peakWriters = 0;
        for (int i = 0; i < 300; i++) {
            server.hub.broadcast("m" + i);
            if (i % 50 == 0) peakWriters = Math.max(peakWriters, liveThreads(Hub.WRITER_THREAD_PREFIX));
        }
        for (var c : clients) {
            for (int i = 0; i < 300; i++) assertEquals("text:m" + i, c.next());
        }
        // On Java 17 writers are named platform threads (on 21+ virtual and unlisted): far fewer than clients.
        assertTrue(peakWriters <= 10, "writer threads for 50 clients: " + peakWriters);
    }

    @Test
    void aThousandConnectCyclesLeaveNoClientsAndNoThreads() throws Exception {
        start(HubConfig.defaults());
        int workers = 4;
        int perWorker = 250;
        var failures = new ConcurrentLinkedQueue<Throwable>();
        var threads = new ArrayList<Thread>();
        for (int w = 0; w < workers; w++) {
            var t = new Thread(() -> {
                for (int i = 0; i < perWorker; i++) {
                    try (var client = RawClient.connect(server.port())) {
                        assertEquals(SNAPSHOT, client.readFrame());
                        if (i % 2 == 0) {  // clean close handshake
                            client.send(RawClient.close(1000));
                            assertEquals("close:1000", client.readFrame());
                            assertTrue(client.closedByServer(5_000));
                        }                  // odd cycles just drop the TCP connection
                    } catch (Throwable e) {
                        failures.add(e);
                        return;
                    }
                }
            }, "cycle-worker-" + w);
            t.start();
            threads.add(t);
        }
        for (var t : threads) {
            t.join(30_000);
            assertFalse(t.isAlive(), "worker finished in time");
        }
        if (!failures.isEmpty()) fail("a cycle failed", failures.peek());
        assertTrue(Waits.until(Duration.ofSeconds(10), () -> server.hub.clientCount() == 0), "clientCount back to 0");
        // The hand-back after each close lets the JDK close and forget the connection too.
        assertTrue(Waits.until(Duration.ofSeconds(10), () -> server.jdkConnections() == 0),
                "JDK still tracks " + server.jdkConnections() + " connections");
        // On Java 17 each writer is a named platform thread; on 21+ they are virtual and unlisted.
        assertTrue(Waits.until(Duration.ofSeconds(10), () -> liveThreads(Hub.WRITER_THREAD_PREFIX) == 0),
                "writer threads left: " + liveThreads(Hub.WRITER_THREAD_PREFIX));
        if (!Threads.hasVirtualThreads()) assertTrue(liveThreads("ws-timer") <= 1, "one timer thread");
    }

    @Test
    void silentClientIsDroppedWhileOneAnsweringPingsStays() throws Exception {
        start(new HubConfig(100, 100, 1 << 20, Duration.ofMillis(100), Duration.ofMillis(400)));
        var answering = JavaClient.connect(server.wsUri());  // the JDK client answers pings by itself
        assertEquals(SNAPSHOT, answering.next());
        var silent = raw();
        var frames = new ConcurrentLinkedQueue<String>();
        var reader = Threads.startDaemon("silent-reader", () -> {
            try {
                while (true) frames.add(silent.readFrame());
            } catch (IOException e) {
                frames.add("end");
            }
        });
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> frames.contains("close:1001")),
                "the silent client was told to go; got " + frames);
        assertTrue(frames.stream().anyMatch(f -> f.startsWith("ping:")), "it was pinged first: " + frames);
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 1), "only the silent one left");
        reader.join(5_000);
        assertTrue(frames.contains("end"), "and its socket was closed");

        // By now several pong timeouts have passed: the answering client is still served.
        server.hub.broadcast("still here");
        assertEquals("text:still here", answering.next());
        assertEquals(1, server.hub.clientCount());
    }

    // --- infra ---

    private void start(HubConfig config) throws IOException {
        server = new TestServer(config);
    }

    private RawClient raw() throws IOException {
        var client = RawClient.connect(server.port());
        toClose.add(client);
        return client;
    }

    private static int snapshotLast(String event) {
        var m = Pattern.compile("^text:\\{\"last\":(-?\\d+)}$").matcher(event);
        assertTrue(m.matches(), "the snapshot comes first: " + event);
        return Integer.parseInt(m.group(1));
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }
}
