package watchtower.compat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import watchtower.testing.Api;

/**
 * The reference Watchtower (uv-suite@0.32.0's Python server) started through the shared
 * start-peer.sh on a free loopback port with its own database. When it cannot start (no
 * script, packages that cannot be installed) the calling tests are skipped, not failed.
 * Stopped by the pid the script printed: SIGTERM, then SIGKILL if it has not exited.
 */
final class ReferencePeer implements AutoCloseable {
    private final ProcessHandle process;
    private final int port;
    private final Thread killOnExit;

    private ReferencePeer(ProcessHandle process, int port) {
        this.process = process;
        this.port = port;
        this.killOnExit = new Thread(process::destroyForcibly, "reference-peer-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts it with {@code db} as its database; {@code work} receives its log. Skips the test if it cannot. */
    static ReferencePeer startOrSkip(Path db, Path work) {
        var script = CompatFiles.peerScript();
        Assumptions.assumeTrue(script.isPresent(), "reference server script shared/peer/start-peer.sh not found");
        try {
            Files.createDirectories(work);
            int port = freePort();
            var out = work.resolve("start-peer.out");
            var err = work.resolve("start-peer.err");
            var pb = new ProcessBuilder(List.of("bash", script.get().toString(), String.valueOf(port), db.toString()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("PEER_LOG", work.resolve("peer.log").toString());
            var starter = pb.start();
            // the first start on a machine may apt-get install the Python packages
            if (!starter.waitFor(240, TimeUnit.SECONDS)) {
                starter.destroyForcibly();
                Assumptions.abort("reference server did not start within 240 s: " + tail(err));
            }
            var printed = Files.readString(out).strip();
            if (starter.exitValue() != 0 || !printed.matches("\\d+")) {
                Assumptions.abort("reference server could not start (exit " + starter.exitValue() + "): " + tail(err));
            }
            var pid = Long.parseLong(printed);
            var handle = ProcessHandle.of(pid).orElse(null);
            Assumptions.assumeTrue(handle != null, "reference server pid " + pid + " exited right after starting: " + tail(err));
            return new ReferencePeer(handle, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the reference server", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for it that sends {@code token} as X-UVS-Token, like the one for our server (the reference ignores it). */
    Api api(String token) {
        return new Api(url(), token);
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    process.destroyForcibly();
                    process.onExit().get(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("reference server pid " + process.pid() + " did not stop", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook will run anyway
            }
        }
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) throws IOException {
        var lines = Files.exists(file) ? Files.readAllLines(file) : List.<String>of();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
