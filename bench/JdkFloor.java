import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The floor under our ingest figures: the JDK HttpServer with the server's settings (TCP_NODELAY,
 * a thread pool) answering a 900-byte POST with {"ok":true}, N closed-loop keep-alive clients in
 * this JVM, 5 s of warm-up then 6 s counted. With {@code handoff}, every request waits for a
 * single thread that completes whatever queued, after 30 us of work per group: group commit
 * without a database. Prints the rate and p50/p99 like the benchmark.
 *
 * <pre>java bench/JdkFloor.java 8 [handoff]</pre>
 */
public class JdkFloor {
    private static final long WARM_NS = 5_000_000_000L;
    private static final long COUNTED_NS = 6_000_000_000L;
    private static final long GROUP_WORK_NS = 30_000;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java bench/JdkFloor.java CLIENTS [handoff]");
            System.exit(2);
        }
        System.setProperty("sun.net.httpserver.nodelay", "true"); // as Watchtower sets it
        int clients = Integer.parseInt(args[0]);
        var server = serve(args.length > 1 && args[1].equals("handoff"));
        long[] sorted = load(server.getAddress().getPort(), clients);
        server.stop(0);
        System.out.printf("%d clients%s: %.0f/s p50 %.3f ms p99 %.3f ms%n", clients, args.length > 1 ? " (handoff)" : "",
                sorted.length / (COUNTED_NS / 1e9), sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
        System.exit(0);
    }

    private static HttpServer serve(boolean handoff) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        var queue = new LinkedBlockingQueue<CompletableFuture<Void>>();
        if (handoff) {
            var writer = new Thread(() -> {
                var group = new ArrayList<CompletableFuture<Void>>();
                while (true) {
                    try {
                        group.add(queue.take());
                    } catch (InterruptedException e) {
                        return;
                    }
                    queue.drainTo(group);
                    for (long end = System.nanoTime() + GROUP_WORK_NS; System.nanoTime() < end; ) Thread.onSpinWait();
                    group.forEach(f -> f.complete(null));
                    group.clear();
                }
            }, "writer");
            writer.setDaemon(true);
            writer.start();
        }
        byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (handoff) {
                var done = new CompletableFuture<Void>();
                queue.add(done);
                done.join();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            try (var out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return server;
    }

    /** Every counted request's latency in ns, sorted. */
    private static long[] load(int port, int clients) throws InterruptedException {
        long countFrom = System.nanoTime() + WARM_NS;
        long end = countFrom + COUNTED_NS;
        var results = new ConcurrentLinkedQueue<long[]>();
        var body = new byte[900];
        Arrays.fill(body, (byte) 'x');
        var head = ("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        var request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        var threads = new ArrayList<Thread>();
        for (int c = 0; c < clients; c++) {
            var t = new Thread(() -> {
                try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setTcpNoDelay(true);
                    var in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                    var out = socket.getOutputStream();
                    var latencies = new long[1 << 21];
                    int n = 0;
                    for (long start; (start = System.nanoTime()) < end; ) {
                        out.write(request); // one write: see RawHttp
                        in.readNBytes(contentLength(in));
                        if (start >= countFrom && n < latencies.length) latencies[n++] = System.nanoTime() - start;
                    }
                    results.add(Arrays.copyOf(latencies, n));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (var t : threads) t.join();
        return results.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    }

    /** Reads a response's head and returns its Content-Length. */
    private static int contentLength(InputStream in) throws IOException {
        int length = -1;
        var line = new StringBuilder();
        while (true) {
            int ch = in.read();
            if (ch < 0) throw new EOFException("server closed the connection");
            if (ch != '\n') {
                line.append((char) ch);
                continue;
            }
            var text = line.toString().trim();
            if (text.isEmpty()) return length;
            if (text.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(text.substring(15).trim());
            line.setLength(0);
        }
    }
}
