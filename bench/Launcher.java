import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts servers under test, each in its own folder under the run's work folder with a fresh
 * database (unless a prepared one is given). Ours: {@code java <launcher's options> <extra
 * options> -cp <jar> Watchtower --port P --db F --data-dir D}, ready when it prints "ready at";
 * the launcher's options are the {@code //JAVA_OPTIONS} of Watchtower.java, so the benchmark
 * runs the JVM as {@code ./jbang Watchtower.java} does. The reference: the
 * shared start-peer.sh, which prints the python server's pid once /health answers. Every
 * process started is remembered, so {@link #close} (also run on Ctrl-C) leaves none behind.
 */
final class Launcher implements AutoCloseable {
    /** The JVM options {@code ./jbang Watchtower.java} runs with: its {@code //JAVA_OPTIONS} lines. */
    static List<String> launcherOptions(Tree tree) throws IOException {
        var out = new ArrayList<String>();
        for (var line : Files.readAllLines(tree.root().resolve("Watchtower.java"))) {
            if (line.startsWith("//JAVA_OPTIONS ")) out.addAll(List.of(line.substring(15).trim().split("\\s+")));
        }
        return out;
    }

    private final Tree tree;
    private final Path work;
    private final String javaBin;
    private final String ourClasspath;
    private final List<String> ourJvmOptions;
    private final List<ServerProcess> started = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();

    Launcher(Tree tree, Path work, String javaBin, String ourClasspath, List<String> ourJvmOptions) {
        this.tree = tree;
        this.work = work;
        this.javaBin = javaBin;
        this.ourClasspath = ourClasspath;
        this.ourJvmOptions = ourJvmOptions;
    }

    /** A new folder for one server run: {@code <work>/<n>-<side>-<label>}. */
    Path newDir(Side side, String label) throws IOException {
        var dir = work.resolve(String.format("%03d-%s-%s", sequence.incrementAndGet(), side.label, label));
        Files.createDirectories(dir);
        return dir;
    }

    static Path dbIn(Path dir) {
        return dir.resolve("watchtower.db");
    }

    static final Duration READY = Duration.ofSeconds(60);

    /**
     * Starts a server on {@code dir}'s database (created if absent). {@code ready} bounds how long
     * ours may take: longer for a prepared history, which it migrates at its first start.
     */
    ServerProcess start(Side side, Path dir, Duration ready) throws IOException {
        var server = side == Side.OURS ? startOurs(dir, ready) : startReference(dir);
        started.add(server);
        return server;
    }

    List<String> ourCommand(int port, Path dir) {
        var cmd = new ArrayList<String>();
        cmd.add(javaBin);
        cmd.addAll(ourJvmOptions);
        cmd.addAll(List.of("-cp", ourClasspath, "Watchtower",
                "--port", String.valueOf(port), "--db", dbIn(dir).toString(), "--data-dir", dir.resolve("uvs").toString()));
        return cmd;
    }

    private ServerProcess startOurs(Path dir, Duration readyTimeout) throws IOException {
        int port = freePort();
        long t0 = System.nanoTime();
        var process = new ProcessBuilder(ourCommand(port, dir))
                .directory(dir.toFile())
                .redirectError(dir.resolve("server.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        var ready = watchForReady(process, dir.resolve("server.out"));
        try {
            long at = ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            var token = Files.readString(dir.resolve("uvs/token")).strip();
            return new ServerProcess(Side.OURS, port, process.toHandle(), token, dbIn(dir), dir, at - t0);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new IOException("our server did not become ready in " + readyTimeout.toSeconds() + " s: "
                    + tail(dir.resolve("server.err")));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting our server");
        }
    }

    /** Copies the server's stdout to a file; completes with nanoTime when the ready line appears. */
    static CompletableFuture<Long> watchForReady(Process process, Path copy) {
        var ready = new CompletableFuture<Long>();
        var t = new Thread(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = new PrintWriter(Files.newBufferedWriter(copy))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!ready.isDone() && line.contains("ready at")) ready.complete(System.nanoTime());
                    out.println(line);
                    out.flush();
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("server exited before it was ready"));
        }, "stdout-" + process.pid());
        t.setDaemon(true);
        t.start();
        return ready;
    }

    boolean referenceInstalled() {
        return tree.peerScript().isPresent();
    }

    private ServerProcess startReference(Path dir) throws IOException {
        var script = tree.peerScript().orElseThrow(() -> new IOException(
                "shared/peer/start-peer.sh not found beside the work tree (set WT_SHARED_DIR)"));
        int port = freePort();
        var out = dir.resolve("start-peer.out");
        var err = dir.resolve("start-peer.err");
        var pb = new ProcessBuilder(List.of("bash", script.toString(), String.valueOf(port), dbIn(dir).toString()))
                .directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PEER_LOG", dir.resolve("peer.log").toString());
        long t0 = System.nanoTime();
        var starter = pb.start();
        try {
            // the first start on a machine may apt-get install the python packages
            if (!starter.waitFor(240, TimeUnit.SECONDS)) {
                starter.destroyForcibly();
                throw new IOException("start-peer.sh took over 240 s: " + tail(err));
            }
        } catch (InterruptedException e) {
            starter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the reference server");
        }
        long readyNanos = System.nanoTime() - t0;
        var printed = Files.readString(out).strip();
        if (starter.exitValue() != 0 || !printed.matches("\\d+")) {
            throw new IOException("the reference server did not start (exit " + starter.exitValue() + "): " + tail(err));
        }
        var handle = ProcessHandle.of(Long.parseLong(printed))
                .orElseThrow(() -> new IOException("the reference server exited right after starting: " + tail(err)));
        return new ServerProcess(Side.REFERENCE, port, handle, null, dbIn(dir), dir, readyNanos);
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String tail(Path file) {
        try {
            var lines = Files.exists(file) ? Files.readAllLines(file) : List.<String>of();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (var s : started) s.stop();
    }
}
