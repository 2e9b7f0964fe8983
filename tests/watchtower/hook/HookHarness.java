package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Shared parts of the hook tests: a recording HTTP sink on loopback, a runner that starts
 * {@code WtHook} as a real process from the test's own classpath, and the fixture paths.
 */
final class HookHarness {
    private HookHarness() {}

    /** The Claude Code payloads recorded from the real client (CLAUDE-CODE.md). */
    static Path fixtures() {
        for (var candidate : List.of(
                System.getenv().getOrDefault("WT_FIXTURES", ""),
                "tests/fixtures/claude-code",
                "/work/shared/fixtures/claude-code")) {
            if (!candidate.isEmpty() && Files.isDirectory(Path.of(candidate))) return Path.of(candidate);
        }
        return fail("claude-code fixtures not found (set WT_FIXTURES)");
    }

    static Path fixture(String name) {
        var p = fixtures().resolve(name);
        assertTrue(Files.isRegularFile(p), "missing fixture " + p);
        return p;
    }

    /** The reference bash hooks (uv-suite@0.32.0), when unpacked on this machine; else null. */
    static Path referenceHooks() {
        for (var candidate : List.of(
                System.getenv().getOrDefault("UVS_REFERENCE_HOOKS", ""),
                "/tmp/ref/package/hooks",
                System.getProperty("user.home") + "/.cache/uvs-peer/package/hooks")) {
            if (!candidate.isEmpty() && Files.isRegularFile(Path.of(candidate, "watchtower-send.sh"))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    static boolean onPath(String program) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    /** A port nothing listens on: connecting is refused, as when Watchtower is down. */
    static int closedPort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // --- processes ---

    record Run(int exit, String stdout, String stderr, long millis) {
        void assertSilentSuccess() {
            assertTrue(exit == 0, "exit " + exit);
            assertTrue(stdout.isEmpty(), "stdout must be empty, was: " + stdout);
            assertTrue(stderr.isEmpty(), "stderr must be empty, was: " + stderr);
        }
    }

    /** Starts {@code java -cp <ours> WtHook args...} with exactly {@code env} on top of a cleaned environment. */
    static Process start(Map<String, String> env, Path stdin, Path outDir, String... args) throws IOException {
        var cmd = new ArrayList<String>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("WtHook");
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        clean(pb.environment()).putAll(env);
        Files.createDirectories(outDir);
        pb.redirectOutput(outDir.resolve("stdout").toFile());
        pb.redirectError(outDir.resolve("stderr").toFile());
        if (stdin != null) pb.redirectInput(stdin.toFile());
        else pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        return pb.start();
    }

    static Run run(Map<String, String> env, Path stdin, Path outDir, String... args) throws Exception {
        long t0 = System.nanoTime();
        var p = start(env, stdin, outDir, args);
        return finish(p, outDir, t0);
    }

    static Run finish(Process p, Path outDir, long startNanos) throws Exception {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("wthook did not exit within 20 s");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return new Run(p.exitValue(), Files.readString(outDir.resolve("stdout"), UTF_8),
                Files.readString(outDir.resolve("stderr"), UTF_8), ms);
    }

    /** Runs a reference bash hook; its curl runs in the background, so callers wait on the sink. */
    static int runReference(String script, Map<String, String> env, Path stdin, String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of("bash", referenceHooks().resolve(script).toString()));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        clean(pb.environment()).putAll(env);
        pb.redirectInput(stdin.toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        var p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "reference hook hung");
        return p.exitValue();
    }

    private static Map<String, String> clean(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("UVS_") || k.startsWith("CLAUDE") || k.startsWith("WTHOOK_")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        return env;
    }

    // --- the sink ---

    record Received(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A loopback HTTP server that records every request and answers {@code status} (or never, when hanging). */
    static final class Sink implements AutoCloseable {
        final HttpServer server;
        final ExecutorService executor = Executors.newCachedThreadPool();
        final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile int status = 200;
        volatile boolean hang;

        private Sink(int port) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.setExecutor(executor);
            server.createContext("/", ex -> {
                try (ex) {
                    var body = new String(ex.getRequestBody().readAllBytes(), UTF_8);
                    var headers = new HashMap<String, String>();
                    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                    received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers, body));
                    if (hang) release.await(30, TimeUnit.SECONDS);
                    var reply = "{\"ok\":true}".getBytes(UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(status, reply.length);
                    ex.getResponseBody().write(reply);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
        }

        static Sink start() throws IOException {
            return new Sink(0);
        }

        /** Listens on a given port: Watchtower "coming back" where the hook was sending. */
        static Sink startOn(int port) throws IOException {
            return new Sink(port);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        Received next() throws InterruptedException {
            var r = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "the sink received nothing within 10 s");
            return r;
        }

        /** What arrived so far; after a wthook process exited, everything it sent has arrived. */
        List<Received> drain() {
            var out = new ArrayList<Received>();
            received.drainTo(out);
            return out;
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
