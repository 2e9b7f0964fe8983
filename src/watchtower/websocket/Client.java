package watchtower.websocket;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * One upgraded connection. The HTTP handler thread reads (pings are answered, a close is echoed,
 * data from the client is checked and dropped); the hub's shared writers drain the Outbox, one
 * batch per turn (see WriterPool), so a slow peer only ever blocks the writer in its write. Every
 * close goes the same way: queue a close frame, give the peer {@link #CLOSE_GRACE} to answer,
 * then close the socket regardless.
 */
final class Client {
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger("watchtower.websocket");

    private final long id;
    private final RawStreams raw;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Outbox outbox;
    private final ScheduledExecutorService timers;
    private final WriterPool writers;
    // Counted down once nothing more will be written: the close frame went out, a write failed,
    // or the outbox was shut down while no writer held it.
    private final CountDownLatch writerDone = new CountDownLatch(1);
    private final AtomicBoolean closeQueued = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();
    // When a writer last finished writing to this client; see WriterPool.GAP.
    private volatile long lastWrittenNanos = System.nanoTime() - WriterPool.GAP;
    long restUntilNanos;  // while it rests in the WriterPool, under the pool's lock
    private volatile long writes;  // batches written; only the one writer holding it counts
    private volatile ScheduledFuture<?> abortTimer;

    Client(long id, RawStreams raw, HubConfig config, ScheduledExecutorService timers, WriterPool writers) {
        this.id = id;
        this.raw = raw;
        this.reader = new FrameReader(raw.in(), config.maxMessageBytes());
        this.writer = new FrameWriter(raw.channel());
        this.outbox = new Outbox(config.queueCapacity());
        this.timers = timers;
        this.writers = writers;
    }

    long id() {
        return id;
    }

    /** Writes the 101 response; nothing else is written from this thread. */
    void upgrade(Handshake handshake) throws IOException {
        writer.write(handshake.response());
    }

    /** Queues broadcasts without waiting; READY clients are the caller's to hand to the writers. */
    Offer offer(List<byte[]> frames) {
        return outbox.offer(frames);
    }

    void ping() {
        wakeIf(outbox.ping(FrameWriter.encode(Opcode.PING, new byte[0])));
    }

    /** True once a close frame is queued: the client is on its way out. */
    boolean isClosing() {
        return closeQueued.get();
    }

    /** When the peer last sent any frame; a pong is just the usual one. */
    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Starts a close from our side. Never blocks: the writer sends the frame, a timer enforces the grace. */
    void close(int code, String reason) {
        if (!closeQueued.compareAndSet(false, true)) return;
        wakeIf(outbox.closeWith(FrameWriter.close(code, reason)));
        try {
            abortTimer = timers.schedule(this::abort, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            abort();  // the hub is shutting its timers down: no grace left to give
        }
    }

    /** Closes the socket now; the reader and the writer both fail out of any blocked call. */
    void abort() {
        if (!aborted.compareAndSet(false, true)) return;
        if (outbox.shutdown()) writerDone.countDown();
        raw.abort();
    }

    /**
     * Runs the connection on the calling (HTTP handler) thread until it is over, then hands the
     * socket back to the JDK. The snapshot goes ahead of any broadcast queued since registration.
     */
    void run(Supplier<String> snapshot) {
        try {
            outbox.first(FrameWriter.text(snapshot.get()));
        } catch (RuntimeException e) {
            LOG.log(WARNING, "websocket {0}: the snapshot failed, closing: {1}", id, e.toString());
            close(CloseCodes.INTERNAL_ERROR, "snapshot failed");
        }
        wakeIf(outbox.open());
        try {
            readLoop();
        } finally {
            finish();
        }
    }

    private void readLoop() {
        try {
            while (true) {
                var frame = reader.next();
                lastHeardNanos = System.nanoTime();
                switch (frame.opcode()) {
                    case PING -> wakeIf(outbox.pong(FrameWriter.encode(Opcode.PONG, frame.payload())));
                    case CLOSE -> {
                        // Echo the peer's code (RFC 6455 §5.5.1); an empty close gets an empty one.
                        var code = CloseCodes.parse(frame.payload());
                        if (closeQueued.compareAndSet(false, true)) {
                            wakeIf(outbox.closeWith(code.isPresent()
                                    ? FrameWriter.close(code.getAsInt(), "")
                                    : FrameWriter.encode(Opcode.CLOSE, new byte[0])));
                        }
                        return;
                    }
                    default -> { }  // client messages carry nothing we act on; pongs only prove liveness
                }
            }
        } catch (ProtocolViolation e) {
            LOG.log(DEBUG, "websocket {0}: closing with {1}: {2}", id, e.closeCode(), e.getMessage());
            close(e.closeCode(), e.getMessage());
            // The stream may be out of step now, so frames are no longer parsed: send the close
            // frame, then FIN, and discard input until the peer hangs up or the grace runs out.
            // Closing with unread input would send a RST that can destroy our close frame.
            awaitWriter();
            raw.shutdownOutput();
            drainInput();
        } catch (IOException e) {
            // End of stream, a reset, or our own abort: nothing more can be said on this socket.
            LOG.log(DEBUG, "websocket {0}: connection ended: {1}", id, e.toString());
            abort();
        }
    }

    /**
     * Writes one batch on a shared writer's thread: what is waiting, in one go. True when the
     * client must be queued again (more arrived meanwhile); false when it is idle or finished.
     */
    boolean drain(List<byte[]> frames, ByteBuffer scratch) {
        boolean more = outbox.takeBatch(frames);
        try {
            if (!frames.isEmpty()) {
                writer.write(frames, scratch);
                lastWrittenNanos = System.nanoTime();
                writes++;
            }
        } catch (IOException e) {
            // Writes fail: the socket is broken (1011 in spirit), and no close frame can reach the peer.
            if (!aborted.get()) LOG.log(DEBUG, "websocket {0}: write failed, dropping: {1}", id, e.toString());
            writerDone.countDown();
            abort();
            return false;
        }
        if (!more) {
            writerDone.countDown();
            return false;
        }
        return outbox.release();
    }

    /** How many batches were written to it so far (each in one system call unless it outgrew the scratch buffer). */
    long writes() {
        return writes;
    }

    /** When a writer last finished writing to this client (System.nanoTime()). */
    long lastWrittenNanos() {
        return lastWrittenNanos;
    }

    /** For a READY client the writers refused (the hub is closing): nothing will be written, so end now. */
    void noWriter() {
        LOG.log(DEBUG, "websocket {0}: no writer (hub closing)", id);
        writerDone.countDown();
        abort();
    }

    /** Hands this client to a writer when the Outbox said it just became ready. */
    private void wakeIf(boolean ready) {
        if (ready && !writers.submit(this)) noWriter();
    }

    private void finish() {
        if (!awaitWriter()) abort();  // still stuck writing to a peer that stopped reading
        var timer = abortTimer;
        if (timer != null) timer.cancel(false);
        outbox.shutdown();
        raw.release();
    }

    private boolean awaitWriter() {
        try {
            return writerDone.await(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void drainInput() {
        try {
            raw.in().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            LOG.log(DEBUG, "websocket {0}: drain ended: {1}", id, e.toString());
        }
    }
}
