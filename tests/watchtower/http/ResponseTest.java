package watchtower.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Responses over a real JDK HttpServer and HttpClient, counting the writes that reach the socket's stream. */
class ResponseTest {
    private HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** How many writes each response made to the exchange's raw stream. */
    private final BlockingQueue<Integer> writes = new LinkedBlockingQueue<>();
    private volatile Answer answer;

    @FunctionalInterface
    interface Answer {
        void send(Response res) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            var counter = countWrites(exchange);
            try {
                answer.send(new Response(exchange));
            } finally {
                exchange.close();
                writes.add(counter.get());
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aSmallResponseGoesOutInOneWrite() throws Exception {
        answer = res -> res.json(200, Map.of("ok", true));
        for (int i = 0; i < 3; i++) { // the same kept-alive connection goes on working
            var got = get("GET");
            assertEquals(200, got.statusCode());
            assertEquals("{\"ok\":true}", new String(got.body()));
            assertEquals("application/json", got.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(1, writes.poll(5, TimeUnit.SECONDS), "head and body in one write");
        }
    }

    @Test
    void aHeadRequestGetsTheHeadOnly() throws Exception {
        answer = res -> res.text(200, "text/plain", "not sent for HEAD");
        var got = get("HEAD");
        assertEquals(200, got.statusCode());
        assertEquals(0, got.body().length);
        assertEquals(1, writes.poll(5, TimeUnit.SECONDS));
        answer = res -> res.json(200, Map.of("after", "head"));
        assertEquals("{\"after\":\"head\"}", new String(get("GET").body()));
    }

    @Test
    void aLargeBodyArrivesWhole() throws Exception {
        var big = new byte[SingleWrite.MAX_BODY * 3 + 17];
        Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = 'z';
        answer = res -> res.bytes(200, "application/octet-stream", big);
        var got = get("GET");
        assertArrayEquals(big, got.body());
        assertTrue(writes.poll(5, TimeUnit.SECONDS) >= 1);
    }

    @Test
    void aDeferredAnswerFromAnotherThreadGoesOutInOneWrite() throws Exception {
        server.removeContext("/"); // this one must not close the exchange: the answer comes later

        server.createContext("/", exchange -> {
            var counter = countWrites(exchange);
            var deferred = new Response(exchange).detach();
            new Thread(() -> {
                deferred.complete(200, Map.of("decision", "allow"));
                writes.add(counter.get());
            }).start();
        });
        var got = get("GET");
        assertEquals("{\"decision\":\"allow\"}", new String(got.body()));
        assertEquals(1, writes.poll(5, TimeUnit.SECONDS));
    }

    private HttpResponse<byte[]> get(String method) throws Exception {
        var uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x");
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Puts a counting stream under the exchange's raw output, where the socket writes happen. */
    private static AtomicInteger countWrites(HttpExchange exchange) {
        var count = new AtomicInteger();
        try {
            Field impl = field("sun.net.httpserver.HttpExchangeImpl", "impl");
            Field raw = field("sun.net.httpserver.ExchangeImpl", "ros");
            var target = impl.get(exchange);
            var socket = (OutputStream) raw.get(target);
            raw.set(target, new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    count.incrementAndGet();
                    socket.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    count.incrementAndGet();
                    socket.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    socket.flush();
                }
            });
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the tests run with --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED", e);
        }
        return count;
    }

    private static Field field(String className, String name) throws ReflectiveOperationException {
        var f = Class.forName(className).getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
