package watchtower.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Api;
import watchtower.testing.TestServer;

/** /live as the dashboard and wtctl use it: authenticated, same-origin, snapshot then every change in order. */
class LiveStreamTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void snapshotFirstThenEveryCommittedChangeInOrder() throws Exception {
        server.api().post("/events", obj("session_id", "before", "event_type", "SessionStart"));
        var messages = new LinkedBlockingQueue<JsonNode>();
        var ws = connect(messages, server.token(), null).join();
        try {
            var snapshot = next(messages);
            assertEquals("snapshot", snapshot.path("type").asText());
            assertEquals("before", snapshot.path("sessions").get(0).path("id").asText());

            server.api().post("/events", obj("session_id", "s1", "event_type", "PreToolUse", "tool_name", "Bash", "command", "ls"));
            server.api().post("/approvals", obj("session_id", "s1", "tool_name", "Bash", "command", "ls"));
            server.api().post("/events", obj("session_id", "s1", "event_type", "UserPromptSubmit"));

            var created = next(messages);
            assertEquals("session", created.path("type").asText(), "a new session is announced with its row");
            assertEquals("s1", created.path("session").path("id").asText());
            var event = next(messages);
            assertEquals("event", event.path("type").asText());
            assertEquals("PreToolUse", event.path("event_type").asText());
            assertEquals("ls", event.path("command").asText());
            var approval = next(messages);
            assertEquals("approval", approval.path("type").asText());
            assertEquals("pending", approval.path("status").asText());
            // the prompt's write commits the event and resolves the approval: both arrive, approval first
            var resolved = next(messages);
            assertEquals("resolved", resolved.path("status").asText());
            assertEquals("UserPromptSubmit", next(messages).path("event_type").asText());
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    @Test
    void withoutTheTokenTheUpgradeIsRefused() {
        var error = assertFails(connect(new LinkedBlockingQueue<>(), null, null));
        assertEquals(401, error.getResponse().statusCode());
    }

    @Test
    void aForeignOriginIsRefusedEvenWithTheToken() {
        var error = assertFails(connect(new LinkedBlockingQueue<>(), server.token(), "https://evil.example"));
        assertEquals(403, error.getResponse().statusCode());
    }

    @Test
    void theServersOwnOriginIsAccepted() throws Exception {
        var messages = new LinkedBlockingQueue<JsonNode>();
        var ws = connect(messages, server.token(), "http://localhost:" + server.port()).join();
        assertEquals("snapshot", next(messages).path("type").asText());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    // --- infra ---

    private CompletableFuture<WebSocket> connect(LinkedBlockingQueue<JsonNode> sink, String token, String origin) {
        var builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) builder.header("X-UVS-Token", token);
        if (origin != null) builder.header("Origin", origin);
        return builder.buildAsync(URI.create(server.url().replace("http", "ws") + "/live"), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        sink.add(Api.JSON.readTree(partial.toString()));
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        });
    }

    private static JsonNode next(LinkedBlockingQueue<JsonNode> messages) throws InterruptedException {
        var m = messages.poll(5, TimeUnit.SECONDS);
        assertTrue(m != null, "a message arrived within 5 s");
        return m;
    }

    private static WebSocketHandshakeException assertFails(CompletableFuture<WebSocket> connecting) {
        try {
            connecting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) return h;
            throw new AssertionError("expected a refused handshake", e);
        }
        throw new AssertionError("the upgrade was accepted");
    }
}
