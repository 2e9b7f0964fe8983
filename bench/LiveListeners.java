import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * N dashboard-like WebSocket clients on GET /live (ours with the token header). Each waits for
 * its snapshot, then counts event messages; timed clients also note every event message whose
 * command is {@code fan:<seq>} with the nanoTime it arrived, and count {@code probe} messages
 * (used to know all are subscribed before measuring).
 *
 * <p>A minimal RFC 6455 client: blocking handshakes, then one selector thread reads every
 * socket, parses frames (text, continuation, ping answered with pong, close) and stamps each
 * read with its arrival time. The load generator shares the two cores with the server under
 * test, so the clients must cost little: java.net.http's WebSocket, used before, spent more CPU
 * receiving than either server spent sending, and its hand-offs between threads showed up in
 * the latencies of both. Frames are parsed where they were read, and a counting client tells an
 * event message by its first bytes: 100 listeners during ingest receive about a million
 * messages a second, and decoding each into a String took a tenth of a core.
 */
final class LiveListeners implements AutoCloseable {
    private static final int MAX_MESSAGE = 4 << 20;
    // how an event message starts: ours writes compact JSON, the reference's json.dumps a space after the colon
    private static final byte[] EVENT = "{\"type\":\"event\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_SPACED = "{\"type\": \"event\"".getBytes(StandardCharsets.US_ASCII);

    private final List<Listener> listeners = new ArrayList<>();
    private final Selector selector;
    private final Thread reader;
    private final CountDownLatch snapshots;
    /** Timed clients (fan-out) read every message's tag; counting ones (ingest) only count events. */
    private final boolean timed;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong eventMessages = new AtomicLong();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger probed = new AtomicInteger();
    private volatile boolean closing;
    private String firstError;

    private LiveListeners(int count, boolean timed) throws IOException {
        this.timed = timed;
        this.snapshots = new CountDownLatch(count);
        this.selector = Selector.open();
        this.reader = new Thread(this::readLoop, "ws-clients");
        this.reader.setDaemon(true);
    }

    /** Connects {@code count} timed clients (see {@link #latencies}) one after another and waits for their snapshots. */
    static LiveListeners open(ServerProcess server, int count, Duration timeout) throws InterruptedException {
        return open(server, count, timeout, true);
    }

    /** Like {@link #open}, for clients that only count event messages (ingest's listeners). */
    static LiveListeners counting(ServerProcess server, int count, Duration timeout) throws InterruptedException {
        return open(server, count, timeout, false);
    }

    private static LiveListeners open(ServerProcess server, int count, Duration timeout, boolean timed) throws InterruptedException {
        LiveListeners live;
        try {
            live = new LiveListeners(count, timed);
        } catch (IOException e) {
            throw new IllegalStateException("no selector: " + e);
        }
        live.reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            var listener = live.new Listener();
            try {
                listener.connect(server, deadline);
                live.listeners.add(listener);
            } catch (IOException e) {
                live.noteError("connect: " + e);
            }
        }
        live.snapshots.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return live;
    }

    int requested() {
        return listeners.size();
    }

    /** Clients that received their snapshot. */
    int ready() {
        return (int) listeners.stream().filter(l -> l.snapshotSeen).count();
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

    /**
     * Waits until {@code n} event messages have arrived in all, or {@code limit} has passed: a
     * server that paces its writes under heavy ingest still holds the last few milliseconds' worth
     * when the load stops. Returns the count then.
     */
    long awaitEventMessages(long n, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (eventMessages.get() < n && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling the counter, bounded by the deadline
        }
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

    private void readLoop() {
        var buffer = ByteBuffer.allocateDirect(256 * 1024);
        while (!closing) {
            try {
                selector.select(100);
                long now = System.nanoTime();
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    var key = it.next();
                    it.remove();
                    var listener = (Listener) key.attachment();
                    buffer.clear();
                    int n;
                    try {
                        n = listener.channel.read(buffer);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        listener.gone(key, "connection closed by the server");
                        continue;
                    }
                    buffer.flip();
                    listener.received(buffer, now, key);
                }
            } catch (IOException | RuntimeException e) {
                if (!closing) noteError("client reader: " + e);
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var l : listeners) l.closeQuietly();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private final class Listener {
        SocketChannel channel;
        private byte[] bytes = new byte[512];        // what was read and not yet parsed: an incomplete frame
        private int pending;                         // how many bytes of it
        private final ByteArrayBuilder message = new ByteArrayBuilder(); // a fragmented message so far
        private boolean goneAlready;
        volatile boolean snapshotSeen;
        private boolean probeSeen;
        long[] seqs = new long[64];
        long[] arrivals = new long[64];
        int count;

        void connect(ServerProcess server, long deadline) throws IOException {
            channel = SocketChannel.open();
            channel.socket().setTcpNoDelay(true);
            channel.socket().connect(new InetSocketAddress("127.0.0.1", server.port),
                    (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            var key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            var request = "GET /live HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + (server.token != null ? "X-UVS-Token: " + server.token + "\r\n" : "")
                    + "\r\n";
            write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            // read the response head (through the socket's stream, which honours a read timeout);
            // what follows it, often the snapshot, is the first frame data
            channel.socket().setSoTimeout(20_000);
            var stream = channel.socket().getInputStream();
            var head = ByteBuffer.allocate(8192);
            int end;
            while ((end = headEnd(head)) < 0) {
                int n = head.hasRemaining() ? stream.read(head.array(), head.position(), head.remaining()) : -1;
                if (n < 0) throw new IOException("no upgrade response");
                head.position(head.position() + n);
            }
            var status = new String(head.array(), 0, Math.min(end, 12), StandardCharsets.US_ASCII);
            if (!status.startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + status.trim());
            // frames that came with the head (often the snapshot) first, before the reader sees this socket
            received(ByteBuffer.wrap(head.array(), end, head.position() - end), System.nanoTime(), null);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, this);
            selector.wakeup();
        }

        private static int headEnd(ByteBuffer head) {
            var a = head.array();
            for (int i = 3; i < head.position(); i++) {
                if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') return i + 1;
            }
            return -1;
        }

        /** Parses every whole frame in {@code pending + data} where it lies; keeps the rest for the next read. */
        synchronized void received(ByteBuffer data, long now, SelectionKey key) {
            int total = pending + data.remaining();
            if (total > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, total));
            data.get(bytes, pending, data.remaining());
            int at = 0;
            while (total - at >= 2) {
                int b0 = bytes[at] & 0xFF;
                int b1 = bytes[at + 1] & 0xFF;
                int p = at + 2;
                long length = b1 & 0x7F;
                if (length == 126) {
                    if (total - p < 2) break;
                    length = ((bytes[p] & 0xFF) << 8) | (bytes[p + 1] & 0xFF);
                    p += 2;
                } else if (length == 127) {
                    if (total - p < 8) break;
                    length = ByteBuffer.wrap(bytes, p, 8).getLong();
                    p += 8;
                }
                if ((b1 & 0x80) != 0 || length < 0 || length > MAX_MESSAGE) {
                    noteError("server frame masked or too long");
                    gone(key, null);
                    return;
                }
                if (total - p < length) break;
                frame(b0, p, (int) length, now, key);
                at = p + (int) length;
            }
            pending = total - at;
            System.arraycopy(bytes, at, bytes, 0, pending);
        }

        private void frame(int b0, int offset, int length, long now, SelectionKey key) {
            int opcode = b0 & 0x0F;
            boolean fin = (b0 & 0x80) != 0;
            switch (opcode) {
                case 0x1, 0x0 -> {
                    if (fin && message.size == 0) {
                        handle(bytes, offset, length, now);  // the usual case: a whole message in one frame
                    } else {
                        message.append(bytes, offset, length);
                        if (fin) {
                            handle(message.bytes, 0, message.size, now);
                            message.size = 0;
                        }
                    }
                }
                case 0x8 -> gone(key, null);
                case 0x9 -> control(0xA, Arrays.copyOfRange(bytes, offset, offset + length)); // ping: pong, same payload
                default -> { } // pong, binary: not expected, ignored
            }
        }

        /**
         * One whole message. Counting listeners (ingest) only tell event messages from others, by
         * their first bytes where they can, so they cost the shared cores little per message;
         * timed ones (fan-out, a few hundred messages a second) also read the tags.
         */
        private void handle(byte[] in, int offset, int length, long now) {
            messages.incrementAndGet();
            if (!timed && snapshotSeen && (startsWith(in, offset, length, EVENT) || startsWith(in, offset, length, EVENT_SPACED))) {
                eventMessages.incrementAndGet();
                return;
            }
            handle(new String(in, offset, length, StandardCharsets.UTF_8), now);
        }

        private void handle(String text, long now) {
            if (!snapshotSeen) {
                if (text.contains("\"snapshot\"")) {
                    snapshotSeen = true;
                    snapshots.countDown();
                }
                return;
            }
            if (text.contains("\"type\":\"event\"") || text.contains("\"type\": \"event\"")) {
                eventMessages.incrementAndGet();
            }
            if (!timed) return;
            int at = text.indexOf("fan:");
            if (at >= 0) {
                int end = at + 4;
                while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
                if (end > at + 4) record(Long.parseLong(text.substring(at + 4, end)), now);
            } else if (!probeSeen && text.contains("probe")) {
                probeSeen = true;
                probed.incrementAndGet();
            }
        }

        synchronized int received() {
            return count;
        }

        private void record(long seq, long now) {
            if (count == seqs.length) {
                seqs = Arrays.copyOf(seqs, count * 2);
                arrivals = Arrays.copyOf(arrivals, count * 2);
            }
            seqs[count] = seq;
            arrivals[count] = now;
            count++;
        }

        /** A masked control frame (clients must mask); small enough to go out in one write. */
        private void control(int opcode, byte[] payload) {
            var frame = ByteBuffer.allocate(6 + payload.length);
            frame.put((byte) (0x80 | opcode)).put((byte) (0x80 | payload.length));
            var mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < payload.length; i++) frame.put((byte) (payload[i] ^ mask[i & 3]));
            try {
                write(frame.flip());
            } catch (IOException e) {
                noteError("pong: " + e);
            }
        }

        private void write(ByteBuffer bytes) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0 && System.nanoTime() > deadline) throw new IOException("write stalled");
            }
        }

        void gone(SelectionKey key, String why) {
            if (key != null) key.cancel();
            if (!goneAlready && !closing) {
                goneAlready = true;
                closed.incrementAndGet();
                if (why != null) noteError("socket: " + why);
            }
            closeQuietly();
        }

        void closeQuietly() {
            if (channel == null || !channel.isOpen()) return;
            try {
                if (!goneAlready) control(0x8, new byte[] {0x03, (byte) 0xE8}); // 1000, normal closure
                channel.close();
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    private static boolean startsWith(byte[] in, int offset, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(in, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    /** A growable byte array for a message split over continuation frames. */
    private static final class ByteArrayBuilder {
        private byte[] bytes = new byte[512];
        private int size;

        void append(byte[] more, int offset, int length) {
            if (size + length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            System.arraycopy(more, offset, bytes, size, length);
            size += length;
        }
    }
}
