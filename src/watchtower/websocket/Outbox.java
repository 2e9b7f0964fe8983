package watchtower.websocket;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames waiting for one client's writer thread. Data messages go in a bounded queue that
 * never blocks the producer (a full queue is reported, and the caller drops the client); control
 * frames (ping, pong) jump ahead of data; a close frame ends the queue, clearing what was left,
 * since RFC 6455 §5.5.1 forbids data after it. Every method holds the lock only for a few
 * field updates.
 */
final class Outbox {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> data = new ArrayDeque<>();
    private final ArrayDeque<byte[]> control = new ArrayDeque<>();
    private final int capacity;
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

    void control(byte[] frame) {
        lock.lock();
        try {
            if (closing()) return;
            control.addLast(frame);
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
            data.clear();
            control.clear();
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
            data.clear();
            control.clear();
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
                if (!control.isEmpty()) return control.pollFirst();
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

    private boolean closing() {
        return done || closeFrame != null;
    }
}
