package watchtower.core;

/**
 * A count of the times a request handed work to another of our threads (the database writer, a
 * WebSocket writer). A warm HTTP worker spins only while this stays unchanged: once another
 * thread has work, it needs the core more than a worker waiting for a request that may come.
 * Increments may race and be lost; it only has to change, and it does.
 */
public final class HandOffs {
    private static volatile long count;

    private HandOffs() {}

    /** Called after waking another thread with work. */
    public static void note() { // not atomic: only a change is read, never the value
        count++;
    }

    public static long count() {
        return count;
    }
}
