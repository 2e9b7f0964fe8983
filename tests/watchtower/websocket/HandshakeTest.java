package watchtower.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opening handshake over raw HTTP: what is refused (status, {"detail"}, headers) and what is accepted. */
class HandshakeTest {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";  // the sample key of RFC 6455 §1.3
    static final List<String> GOOD = List.of("Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13");

    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void acceptKeyMatchesTheRfcExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.acceptKey(KEY));
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                row("POST", GOOD, 405, "Allow: GET"),
                row("GET", without("Upgrade:"), 400, null),
                row("GET", replace("Upgrade: h2c"), 400, null),
                row("GET", replace("Connection: keep-alive"), 400, null),
                row("GET", without("Sec-WebSocket-Version:"), 426, "Sec-WebSocket-Version: 13"),
                row("GET", replace("Sec-WebSocket-Version: 8"), 426, "Sec-WebSocket-Version: 13"),
                row("GET", without("Sec-WebSocket-Key:"), 400, null),
                row("GET", replace("Sec-WebSocket-Key: not base64!"), 400, null),
                row("GET", replace("Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0O"), 400, null),  // 15 bytes
                row("GET", plus("Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODw=="), 400, null),  // two keys
                row("GET", plus("Content-Length: 3"), 400, null));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("rejections")
    void badUpgradeIsRefusedWithStatusAndDetail(String method, List<String> headers, int status, String header)
            throws Exception {
        start(100);
        var response = request(method, headers);
        assertTrue(response.head.startsWith("HTTP/1.1 " + status + " "), response.head);
        var head = response.head.toLowerCase(Locale.ROOT);  // the JDK rewrites header names' case
        assertTrue(head.contains("content-type: application/json"), response.head);
        if (header != null) assertTrue(head.contains(header.toLowerCase(Locale.ROOT)), "has " + header + ": " + response.head);
        var detail = new ObjectMapper().readTree(response.body).get("detail").asText();
        assertFalse(detail.isBlank(), "a readable detail: " + response.body);
        assertEquals(0, server.hub.clientCount());
    }

    @Test
    void tokenListsAndAnyCaseAreAccepted() throws Exception {
        start(100);
        var response = request("GET", List.of("Upgrade: WebSocket", "Connection: keep-alive, Upgrade",
                "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13"));
        assertTrue(response.head.startsWith("HTTP/1.1 101 "), response.head);
        assertTrue(response.head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), response.head);
    }

    @Test
    void permessageDeflateOfferIsNotNegotiated() throws Exception {
        start(100);
        var response = request("GET", plus("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"));
        assertTrue(response.head.startsWith("HTTP/1.1 101 "), response.head);
        assertFalse(response.head.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions"), response.head);
    }

    @Test
    void connectionsAboveTheLimitGet503UntilOneLeaves() throws Exception {
        start(2);
        try (var a = RawClient.connect(server.port()); var b = RawClient.connect(server.port())) {
            assertEquals("text:" + TestServer.SNAPSHOT, a.readFrame());
            assertEquals("text:" + TestServer.SNAPSHOT, b.readFrame());
            var refused = request("GET", GOOD);
            assertTrue(refused.head.startsWith("HTTP/1.1 503 "), refused.head);
            assertTrue(refused.body.contains("\"detail\""), refused.body);
            a.send(RawClient.close(1000));
            assertEquals("close:1000", a.readFrame());
            assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 1));
            try (var c = RawClient.connect(server.port())) {
                assertEquals("text:" + TestServer.SNAPSHOT, c.readFrame());
            }
        }
    }

    // --- infra ---

    record Response(String head, String body) {}

    private void start(int maxClients) throws IOException {
        server = new TestServer(new HubConfig(maxClients, 100, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60)));
    }

    /** Sends one request by hand (HttpClient refuses to set Upgrade or Connection) and reads the answer. */
    private Response request(String method, List<String> headers) throws IOException {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            var text = method + " /live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + headers.stream().map(h -> h + "\r\n").collect(Collectors.joining()) + "\r\n"
                    + (headers.contains("Content-Length: 3") ? "abc" : "");
            socket.getOutputStream().write(text.getBytes(US_ASCII));
            var in = socket.getInputStream();
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) break;
                head.append((char) b);
            }
            if (head.toString().startsWith("HTTP/1.1 101 ")) return new Response(head.toString(), "");
            var length = Arrays.stream(head.toString().split("\r\n"))
                    .filter(h -> h.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                    .map(h -> Integer.parseInt(h.substring(15).trim())).findFirst().orElse(0);
            return new Response(head.toString(), new String(in.readNBytes(length), UTF_8));
        }
    }

    private static Arguments row(String method, List<String> headers, int status, String header) {
        return Arguments.of(method, headers, status, header);
    }

    private static List<String> without(String prefix) {
        return GOOD.stream().filter(h -> !h.startsWith(prefix)).collect(Collectors.toList());
    }

    private static List<String> replace(String header) {
        var name = header.substring(0, header.indexOf(':') + 1);
        return GOOD.stream().map(h -> h.startsWith(name) ? header : h).collect(Collectors.toList());
    }

    private static List<String> plus(String header) {
        return Stream.concat(GOOD.stream(), Stream.of(header)).collect(Collectors.toList());
    }
}
