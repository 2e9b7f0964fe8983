package watchtower.websocket;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import watchtower.core.Threads;

/** A real HttpServer on 127.0.0.1, port 0, whose /live hands every request to a Hub. */
final class TestServer implements AutoCloseable {
    static final String SNAPSHOT = "{\"type\":\"snapshot\"}";

    final Hub hub;
    private final HttpServer server;
    private final ExecutorService executor;

    TestServer(HubConfig config) throws IOException {
        this(config, () -> SNAPSHOT);
    }

    TestServer(HubConfig config, Supplier<String> snapshot) throws IOException {
        hub = new Hub(config);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Threads.perTask("http");
        server.setExecutor(executor);
        server.createContext("/live", ex -> hub.accept(ex, snapshot));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/live");
    }

    /** Connections the JDK server still tracks (ServerImpl.allConnections), read by reflection. */
    int jdkConnections() {
        try {
            var serverField = server.getClass().getDeclaredField("server");
            serverField.setAccessible(true);
            var impl = serverField.get(server);
            var all = impl.getClass().getDeclaredField("allConnections");
            all.setAccessible(true);
            var set = (Set<?>) all.get(impl);
            synchronized (set) {  // a synchronizedSet in the JDK
                return set.size();
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("JDK HttpServer internals changed", e);
        }
    }

    @Override
    public void close() {
        hub.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
