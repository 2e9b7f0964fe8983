package watchtower.websocket;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;

/**
 * The raw socket behind a JDK HttpServer exchange, the only reflection in this package
 * (JBANG.md §4). {@code sendResponseHeaders(101, ...)} would make the JDK close the exchange, so
 * the upgrade and every frame are written straight to the socket channel, and frames are read
 * from {@code ExchangeImpl.ris}, which may already buffer bytes sent right after the request.
 * When the socket is done, {@link #release()} hands the connection back so the JDK closes it and
 * forgets it. Needs {@code --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED}; plain
 * HTTP only (an HttpsServer exchange has another class).
 */
public final class RawStreams {
    static final String ADD_OPENS = "--add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED";
    private static final System.Logger LOG = System.getLogger("watchtower.websocket");

    /** The private fields we use, resolved once; the same names on JDK 17 and 25 (javap). */
    private record Access(Field impl, Field in, Field out, Field connection, Field channel) {}

    private static final Access ACCESS;
    private static final String PROBLEM;

    static {
        Access access = null;
        String problem = null;
        try {
            access = new Access(
                    field("sun.net.httpserver.HttpExchangeImpl", "impl"),
                    field("sun.net.httpserver.ExchangeImpl", "ris"),
                    field("sun.net.httpserver.ExchangeImpl", "ros"),
                    field("sun.net.httpserver.ExchangeImpl", "connection"),
                    field("sun.net.httpserver.HttpConnection", "chan"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = "WebSocket needs the JVM option " + ADD_OPENS
                    + " (the JDK HttpServer internals are not reachable: " + e.getClass().getSimpleName() + ")";
        }
        ACCESS = access;
        PROBLEM = problem;
    }

    private final HttpExchange exchange;
    private final Object impl;
    private final InputStream in;
    private final SocketChannel channel;

    private RawStreams(HttpExchange exchange, Object impl, InputStream in, SocketChannel channel) {
        this.exchange = exchange;
        this.impl = impl;
        this.in = in;
        this.channel = channel;
    }

    /** Empty when the JDK internals are reachable; otherwise one sentence naming the missing option. */
    public static Optional<String> problem() {
        return Optional.ofNullable(PROBLEM);
    }

    /** The streams of a plain-HTTP JDK exchange; IllegalStateException with a clear reason otherwise. */
    public static RawStreams of(HttpExchange exchange) {
        if (ACCESS == null) throw new IllegalStateException(PROBLEM);
        if (!ACCESS.impl().getDeclaringClass().isInstance(exchange)) {
            throw new IllegalStateException("WebSocket works only on the JDK's plain-HTTP HttpServer exchange, not "
                    + exchange.getClass().getName());
        }
        try {
            var impl = ACCESS.impl().get(exchange);
            var connection = ACCESS.connection().get(impl);
            return new RawStreams(exchange, impl,
                    (InputStream) ACCESS.in().get(impl),
                    (SocketChannel) ACCESS.channel().get(connection));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(PROBLEM, e);
        }
    }

    public InputStream in() {
        return in;
    }

    /**
     * Where frames are written. {@code ros} is only a buffer in front of this same channel and
     * holds nothing once the 101 is out, so writing here directly skips a copy and a flush.
     */
    public WritableByteChannel channel() {
        return channel;
    }

    /** Sends FIN after what was written, so the peer sees our close frame and then the end. */
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "shutdownOutput on a closed socket: {0}", e.toString());
        }
    }

    /** Closes the socket now; a read or write blocked on it in another thread fails at once. */
    public void abort() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.TRACE, "closing a socket that was already failing: {0}", e.toString());
        }
    }

    /**
     * Gives the connection back to the JDK: swap {@code ros} for a null stream so nothing more
     * reaches the wire, then a 200 with no body and {@code Connection: close} makes the JDK
     * finish the exchange, close the socket and drop it from its connection set.
     */
    public void release() {
        try {
            ACCESS.out().set(impl, OutputStream.nullOutputStream());
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, -1);
        } catch (IOException | IllegalAccessException e) {
            LOG.log(System.Logger.Level.DEBUG, "releasing the connection failed; closing it: {0}", e.toString());
            abort();
        } finally {
            exchange.close();
        }
    }

    private static Field field(String className, String name) throws ReflectiveOperationException {
        var f = Class.forName(className).getDeclaredField(name);
        f.setAccessible(true);  // InaccessibleObjectException (a RuntimeException) without --add-opens
        return f;
    }
}
