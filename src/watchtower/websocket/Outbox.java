package watchtower.websocket;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames waiting for one client's writer thread. Data messages go in a bounded queue that
 * never blocks the producer (a full queue is reported, and the caller drops the client). A ping
 * and a pong jump ahead of data; at most one of each waits, since RFC 6455 §5.5.3 lets us answer
 * only the latest ping, so a ping flood cannot grow memory. A close frame ends the queue,
 * clearing what was left, since §5.5.1 forbids data after it. Every method holds the lock only
 * for a few field updates.
 */
final class Outbox {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> data = new ArrayDeque<>();
    private final int capacity;
    private byte[] pong;        // the answer to the latest ping, if not yet sent
    private byte[] ping;        // our keep-alive ping, if not yet sent
    private byte[] closeFrame;  // set once: the last frame this client will get
    private boolean done;       // nothing more will be handed out

    Outbox(int capacity) {
        this.capacity = capacity;
    }

    /** False only when the queue is full; once closing, frames are quietly discarded. */
    boolean offer(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return true;
            if (data.size() >= capacity) return false;
            data.addLast(frame);
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Puts a message ahead of everything queued so far, whatever the capacity (the snapshot). */
    void first(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return;
            data.addFirst(frame);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Replaces any pong still waiting: only the latest ping needs an answer. */
    void pong(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return;
            pong = frame;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a ping unless one is still waiting to go out. */
    void ping(byte[] frame) {
        lock.lock();
        try {
            if (closing() || ping != null) return;
            ping = frame;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the close frame as the last frame; false when a close frame was already queued. */
    boolean closeWith(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return false;
            clear();
            closeFrame = frame;
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the writer: its next take() returns null. */
    void shutdown() {
        lock.lock();
        try {
            done = true;
            clear();
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next frame to write, or null when the connection is finished (after the close frame). */
    byte[] take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (done) return null;
                if (pong != null) return takePong();
                if (ping != null) return takePing();
                if (!data.isEmpty()) return data.pollFirst();
                if (closeFrame != null) {
                    done = true;
                    return closeFrame;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
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
        data.clear();
        pong = null;
        ping = null;
    }

    private boolean closing() {
        return done || closeFrame != null;
    }
}
