package watchtower.websocket;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames waiting for one client, and whether a writer has the client in hand. Data messages
 * go in a queue bounded in messages and in bytes that never blocks the producer (a full queue is
 * reported, and the caller drops the client). Every client queues the same broadcast frames, each
 * queue a tail of one stream, so the byte bound also bounds what all of them keep alive together.
 * A ping and a pong jump ahead of data; at most one of each waits, since RFC 6455 §5.5.3 lets us
 * answer only the latest ping, so a ping flood cannot grow memory. A close frame ends the queue,
 * clearing what was left, since §5.5.1 forbids data after it.
 *
 * <p>The outbox is held until {@link #open()}, so the snapshot is the first frame written. After
 * that, the call that finds it idle is told READY (or true) and must hand the client to a writer;
 * until the writer gives it back through {@link #release()}, no one else is told, so exactly one
 * writer drains a client at a time and order holds. Every method holds the lock only briefly.
 */
final class Outbox {
    /** A writer takes at most this much data in one batch, so one busy client cannot hog it. */
    static final int BATCH_BYTES = 256 * 1024;
    /** At most this much data waits for one client, whatever the message count (a few large messages). */
    static final long MAX_QUEUED_BYTES = 16L << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<byte[]> data = new ArrayDeque<>();
    private final int capacity;
    private final long maxBytes;
    private long queuedBytes;   // the data frames' bytes
    private byte[] head;        // the snapshot, until written
    private byte[] pong;        // the answer to the latest ping, if not yet sent
    private byte[] ping;        // our keep-alive ping, if not yet sent
    private byte[] closeFrame;  // set once: the last frame this client will get
    private boolean done;       // nothing more will be handed out
    private boolean held = true;
    private boolean scheduled;  // a writer has this outbox queued or in hand

    Outbox(int capacity) {
        this(capacity, MAX_QUEUED_BYTES);
    }

    Outbox(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Queues all the frames or none: FULL when they do not fit; once closing, they are quietly discarded. */
    Offer offer(List<byte[]> frames) {
        long bytes = 0;
        for (var frame : frames) bytes += frame.length;
        lock.lock();
        try {
            if (closing()) return Offer.QUEUED;
            if (data.size() + frames.size() > capacity || queuedBytes + bytes > maxBytes) return Offer.FULL;
            data.addAll(frames);
            queuedBytes += bytes;
            return claim() ? Offer.READY : Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Puts a message ahead of everything queued, outside the bounds (the snapshot, however many sessions it lists). */
    void first(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return;
            head = frame;
        } finally {
            lock.unlock();
        }
    }

    /** Lets writing begin (the snapshot is in place); true means the caller hands it to a writer. */
    boolean open() {
        lock.lock();
        try {
            held = false;
            return hasWork() && claim();
        } finally {
            lock.unlock();
        }
    }

    /** Replaces any pong still waiting: only the latest ping needs an answer. */
    boolean pong(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return false;
            pong = frame;
            return claim();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a ping unless one is still waiting to go out. */
    boolean ping(byte[] frame) {
        lock.lock();
        try {
            if (closing() || ping != null) return false;
            ping = frame;
            return claim();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the close frame as the last frame, once; later calls are ignored. */
    boolean closeWith(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return false;
            clear();
            closeFrame = frame;
            return claim();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops handing out frames. True when no writer has the client in hand, so no writer will
     * report it finished: the caller counts it finished itself.
     */
    boolean shutdown() {
        lock.lock();
        try {
            done = true;
            clear();
            return !scheduled;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the next frames to write into {@code into}: the pong, the ping, the snapshot, then data up to
     * {@link #BATCH_BYTES} (at least one message), then the close frame once data is empty.
     * False when nothing will follow what it gave: the close frame is in {@code into}, or the
     * outbox was shut down. Called only by the writer holding the client.
     */
    boolean takeBatch(List<byte[]> into) {
        lock.lock();
        try {
            if (done) return false;
            if (pong != null) into.add(takePong());
            if (ping != null) into.add(takePing());
            long bytes = 0;
            if (head != null) {
                into.add(head);
                bytes = head.length;
                head = null;
            }
            while (!data.isEmpty() && (bytes == 0 || bytes + data.peekFirst().length <= BATCH_BYTES)) {
                var frame = data.pollFirst();
                bytes += frame.length;
                queuedBytes -= frame.length;
                into.add(frame);
            }
            if (data.isEmpty() && closeFrame != null) {
                into.add(closeFrame);
                done = true;
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer is done with its batch. True when the client must go back in the writers' queue
     * (more arrived, or it was shut down and the writer must see that); false when it is idle,
     * and the next frame queued will make it READY again.
     */
    boolean release() {
        lock.lock();
        try {
            if (done || hasWork()) return true;
            scheduled = false;
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean claim() {
        if (held || scheduled) return false;
        scheduled = true;
        return true;
    }

    private boolean hasWork() {
        return head != null || pong != null || ping != null || !data.isEmpty() || closeFrame != null;
    }

    private byte[] takePong() {
        var frame = pong;
        pong = null;
        return frame;
    }

    private byte[] takePing() {
        var frame = ping;
        ping = null;
        return frame;
    }

    private void clear() {
        head = null;
        data.clear();
        queuedBytes = 0;
        pong = null;
        ping = null;
    }

    private boolean closing() {
        return done || closeFrame != null;
    }
}
