package watchtower.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;

/**
 * Sends a response's head and body in one socket write. The JDK's {@code sendResponseHeaders}
 * flushes the head to the socket at once, so every response went out in two writes: two trips
 * through the loopback and often two wake-ups of the client. With one write, the JDK server
 * alone answered one client 16-26k times a second instead of 14-16k (a copy of
 * {@code bench/JdkFloor.java} with the response held), and ours a few percent more.
 *
 * <p>How: before the head is sent, the exchange's raw output ({@code ExchangeImpl.ros}, a field
 * {@code websocket.RawStreams} reaches too) is wrapped in a buffer that passes no flush on until
 * {@link #release()}. This needs {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED},
 * which the launcher gives; without it {@link #hold} returns null and responses go out in two
 * writes, as before.
 */
final class SingleWrite extends BufferedOutputStream {
    /** Beyond this the head's write is lost in the body's: not worth a copy. */
    static final int MAX_BODY = 32 * 1024;
    private static final int HEAD_ROOM = 1024;
    private static final Field IMPL = field("sun.net.httpserver.HttpExchangeImpl", "impl");
    private static final Field RAW_OUT = field("sun.net.httpserver.ExchangeImpl", "ros");

    private boolean holding = true;

    private SingleWrite(OutputStream raw, int size) {
        super(raw, size);
    }

    /** Holds what is written to {@code exchange} until {@link #release()}; null when that cannot be done here. */
    static SingleWrite hold(HttpExchange exchange, int bodyLength) {
        if (IMPL == null || RAW_OUT == null || bodyLength > MAX_BODY || !IMPL.getDeclaringClass().isInstance(exchange)) {
            return null;
        }
        try {
            var impl = IMPL.get(exchange);
            var held = new SingleWrite((OutputStream) RAW_OUT.get(impl), HEAD_ROOM + bodyLength);
            RAW_OUT.set(impl, held);
            return held;
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!holding) super.flush();
    }

    /** Writes what was held, head and body together, and lets every later flush through. */
    synchronized void release() throws IOException {
        holding = false;
        flush();
    }

    private static Field field(String className, String name) {
        try {
            var f = Class.forName(className).getDeclaredField(name);
            f.setAccessible(true); // InaccessibleObjectException without --add-opens
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
