package watchtower.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread creation in one place: virtual threads when the runtime has them (Java 21+),
 * named platform threads otherwise. Looked up by reflection so the code stays Java 17.
 */
public final class Threads {
    private Threads() {}

    /** An executor that starts one thread per task; never a fixed pool (a WebSocket holds its thread). */
    public static ExecutorService perTask(String prefix) {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            return Executors.newCachedThreadPool(named(prefix, true));
        }
    }

    /** Starts a named platform daemon thread for a long-lived loop we own (the writer, the pinger). */
    public static Thread startDaemon(String name, Runnable body) {
        var t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public static boolean hasVirtualThreads() {
        try {
            Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    public static ThreadFactory named(String prefix, boolean daemon) {
        var n = new AtomicInteger();
        return r -> {
            var t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }
}
