package watchtower.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.server.Limits;
import watchtower.testing.Api;
import watchtower.testing.ServerProcess;
import watchtower.testing.TestServer;

/** An abusive client is cut off and everything else keeps working. */
class ResourceLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aClientThatDribblesItsRequestIsCutWhileOthersAreServed() throws Exception {
        // a separate JVM: the JDK reads these limits once per process
        try (var server = ServerProcess.start(dir.resolve("uvs"), dir.resolve("wt.db"))) {
            var port = Integer.parseInt(server.url().replaceAll(".*:", ""));
            var api = new Api(server.url(), null);
            try (var slow = new Socket("127.0.0.1", port)) {
                slow.setSoTimeout((Limits.REQUEST_SECONDS + 15) * 1000);
                var out = slow.getOutputStream();
                out.write("GET /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertEquals(200, api.get("/health").status(), "others are served meanwhile");
                long start = System.nanoTime();
                int read;
                try {
                    read = slow.getInputStream().read();
                } catch (SocketException reset) {
                    read = -1;
                }
                long waited = (System.nanoTime() - start) / 1_000_000_000L;
                assertEquals(-1, read, "the server closed the connection without answering");
                assertTrue(waited <= Limits.REQUEST_SECONDS + 10, "cut after " + waited + " s");
            }
            assertEquals(200, api.get("/health").status());
        }
    }

    @Test
    void hugeHeadersAreRefusedAndTheServerStaysUp() throws Exception {
        try (var server = ServerProcess.start(dir.resolve("uvs"), dir.resolve("wt.db"))) {
            var port = Integer.parseInt(server.url().replaceAll(".*:", ""));
            var answer = rawRequest(port, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Big: "
                    + "a".repeat(200 * 1024) + "\r\nConnection: close\r\n\r\n");
            assertTrue(answer.isEmpty() || !answer.startsWith("HTTP/1.1 200"), "not served: " + answer.lines().findFirst().orElse(""));
            var many = new StringBuilder("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            for (int i = 0; i < 500; i++) many.append("X-H").append(i).append(": v\r\n");
            var manyAnswer = rawRequest(port, many + "Connection: close\r\n\r\n");
            assertTrue(manyAnswer.isEmpty() || !manyAnswer.startsWith("HTTP/1.1 200"), manyAnswer.lines().findFirst().orElse(""));
            assertEquals(200, new Api(server.url(), null).get("/health").status());
        }
    }

    @Test
    void artifactsNeverFollowASymlinkOutOfTheSessionsFolder() throws Exception {
        var project = Files.createDirectories(dir.resolve("project"));
        var secret = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(secret.resolve("id_rsa"), "PRIVATE");
        var out = Files.createDirectories(project.resolve("uv-out/sessions/s1"));
        Files.writeString(out.resolve("notes.md"), "ok");
        Files.createSymbolicLink(out.resolve("leak"), secret.resolve("id_rsa"));
        Files.createDirectories(out.resolve("checkpoints"));
        Files.createSymbolicLink(out.resolve("checkpoints/latest.md"), secret.resolve("id_rsa"));
        var evil = Files.createDirectories(dir.resolve("evil-project/uv-out/sessions"));
        Files.createSymbolicLink(evil.resolve("s2"), secret);

        try (var server = TestServer.start(dir.resolve("srv"))) {
            var api = server.api();
            api.post("/events", obj("session_id", "s1", "cwd", project.toString()));
            api.post("/events", obj("session_id", "s2", "cwd", dir.resolve("evil-project").toString()));
            var artifacts = api.get("/sessions/s1/artifacts").json();
            assertEquals(1, artifacts.size(), artifacts.toString());
            assertEquals("notes.md", artifacts.get(0).path("path").asText());
            assertEquals(404, api.get("/sessions/s1/checkpoints/latest.md").status(), "a symlinked checkpoint is not read");
            assertEquals(0, api.get("/sessions/s2/artifacts").json().size(), "a session folder that is a symlink out is empty");
            assertTrue(!api.get("/sessions/s1/checkpoints/latest.md").body().contains("PRIVATE"));
        }
    }

    // --- infra ---

    private static String rawRequest(int port, String request) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketException closed) {
                return ""; // the server dropped the connection: refused
            }
        }
    }
}
