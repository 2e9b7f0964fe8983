package watchtower.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interop with a browser-grade client: Node's built-in WebSocket (undici, the WHATWG API). */
class NodeClientTest {
    // Prints each message, closes with 1000 after the first push, prints how the close went.
    static final String SCRIPT = """
            const ws = new WebSocket(process.argv[1]);
            ws.onmessage = (e) => {
              console.log('message ' + e.data);
              if (e.data !== '%s') ws.close(1000, 'done');
            };
            ws.onerror = (e) => console.log('error ' + (e.message || e.type));
            ws.onclose = (e) => console.log('close ' + e.code + ' ' + e.wasClean);
            """.formatted(TestServer.SNAPSHOT);

    TestServer server;
    Process node;

    @AfterEach
    void stop() {
        if (node != null) node.destroyForcibly();
        if (server != null) server.close();
    }

    @Test
    void nodeReceivesTheSnapshotAndAPushThenClosesCleanly(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(nodeHasWebSocket(),
                "skipped: needs `node` (20+) on PATH with --experimental-websocket; it is absent or too old");
        server = new TestServer(HubConfig.defaults());
        var stderr = tmp.resolve("node.err");
        node = new ProcessBuilder(List.of("node", "--experimental-websocket", "-e", SCRIPT, server.wsUri().toString()))
                .redirectError(stderr.toFile())
                .start();
        var out = new BufferedReader(new InputStreamReader(node.getInputStream(), UTF_8));

        assertEquals("message " + TestServer.SNAPSHOT, line(out, stderr));
        server.hub.broadcast("{\"type\":\"event\",\"n\":1}");
        assertEquals("message {\"type\":\"event\",\"n\":1}", line(out, stderr));
        assertEquals("close 1000 true", line(out, stderr));
        assertTrue(node.waitFor(10, TimeUnit.SECONDS), "node exited");
        assertEquals(0, node.exitValue());
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 0));
    }

    // --- infra ---

    /** The next stdout line within 10 s; on failure, says what node wrote to stderr. */
    private static String line(BufferedReader out, Path stderr) throws Exception {
        var next = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "read failed: " + e;
            }
        });
        try {
            var line = next.get(10, TimeUnit.SECONDS);
            if (line == null) throw new AssertionError("node ended early; stderr: " + Files.readString(stderr));
            return line;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no output from node within 10 s; stderr: " + Files.readString(stderr));
        }
    }

    private static boolean nodeHasWebSocket() {
        try {
            var p = new ProcessBuilder(List.of("node", "--experimental-websocket", "-e",
                    "process.exit(typeof WebSocket === 'function' ? 0 : 1)"))
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;  // no node on PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
