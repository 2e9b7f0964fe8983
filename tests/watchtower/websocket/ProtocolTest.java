package watchtower.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.websocket.RawClient.bytes;
import static watchtower.websocket.RawClient.close;
import static watchtower.websocket.RawClient.concat;
import static watchtower.websocket.RawClient.frame;
import static watchtower.websocket.RawClient.header;
import static watchtower.websocket.RawClient.utf8;

/**
 * RFC 6455 framing rules, checked byte for byte over a plain socket against a real server:
 * each case sends raw frames after the handshake and lists the frames the server must answer
 * with. A case that does not end in a close is then closed cleanly, proving the connection
 * survived it; a case that ends in a close must also see the server end the TCP connection.
 */
class ProtocolTest {
    static final int MAX = 4096;  // maxMessageBytes of the server under test

    // first bytes: FIN plus opcode
    static final int TEXT = 0x81, TEXT_MORE = 0x01, CONT = 0x80, CONT_MORE = 0x00, BINARY = 0x82;
    static final int PING = 0x89, PONG = 0x8A, CLOSE = 0x88;

    TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestServer(new HubConfig(100, 100, MAX, Duration.ofSeconds(30), Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<Arguments> cases() {
        var ping = frame(PING, utf8("after"));
        return Stream.of(
                // masking (§5.1)
                row("unmasked text frame", frame(TEXT, utf8("hi"), false), "close:1002"),
                row("unmasked ping", frame(PING, utf8("hi"), false), "close:1002"),
                // ping and pong (§5.5.2, §5.5.3)
                row("ping is answered with the same payload", frame(PING, utf8("hello")), "pong:hello"),
                row("empty ping", frame(PING, new byte[0]), "pong:"),
                row("ping of 125 bytes", frame(PING, utf8("p".repeat(125))), "pong:" + "p".repeat(125)),
                row("unsolicited pong is ignored", concat(frame(PONG, utf8("x")), ping), "pong:after"),
                // control frame limits (§5.5)
                row("ping of 126 bytes", frame(PING, new byte[126]), "close:1002"),
                row("close of 126 bytes", frame(CLOSE, concat(bytes(0x03, 0xE8), new byte[124])), "close:1002"),
                row("fragmented ping", frame(0x09, utf8("a")), "close:1002"),
                // reserved bits and opcodes (§5.2)
                row("RSV1 set", frame(TEXT | 0x40, utf8("x")), "close:1002"),
                row("RSV2 set", frame(TEXT | 0x20, utf8("x")), "close:1002"),
                row("RSV3 set on a ping", frame(PING | 0x10, utf8("x")), "close:1002"),
                row("reserved data opcode 3", frame(0x83, utf8("x")), "close:1002"),
                row("reserved control opcode 0xB", frame(0x8B, utf8("x")), "close:1002"),
                // fragmentation (§5.4)
                row("fragments are reassembled and ignored",
                        concat(frame(TEXT_MORE, utf8("hel")), frame(CONT_MORE, utf8("l")), frame(CONT, utf8("o")), ping),
                        "pong:after"),
                row("control frame between fragments",
                        concat(frame(TEXT_MORE, utf8("a")), frame(PING, utf8("mid")), frame(CONT, utf8("b"))),
                        "pong:mid"),
                row("continuation with nothing to continue", frame(CONT, utf8("x")), "close:1002"),
                row("new message inside a fragmented one",
                        concat(frame(TEXT_MORE, utf8("a")), frame(TEXT, utf8("b"))), "close:1002"),
                row("binary message is ignored", concat(frame(BINARY, bytes(0, 0xFF, 0xC3)), ping), "pong:after"),
                // UTF-8 (§8.1)
                row("invalid UTF-8 in a text frame", frame(TEXT, bytes(0xC3, 0x28)), "close:1007"),
                row("UTF-16 surrogate encoded in UTF-8", frame(TEXT, bytes(0xED, 0xA0, 0x80)), "close:1007"),
                row("overlong encoding", frame(TEXT, bytes(0xC0, 0xAF)), "close:1007"),
                row("character split validly across fragments",
                        concat(frame(TEXT_MORE, bytes(0xE2, 0x82)), frame(CONT, bytes(0xAC)), ping), "pong:after"),
                row("invalid UTF-8 across fragments",
                        concat(frame(TEXT_MORE, bytes(0xE2, 0x82)), frame(CONT, bytes(0x28))), "close:1007"),
                row("truncated character at the end of a message", frame(TEXT, bytes(0x61, 0xE2, 0x82)), "close:1007"),
                // sizes (checked before allocating: a bare header must be enough)
                row("message just under the limit", concat(frame(TEXT, new byte[MAX]), ping), "pong:after"),
                row("frame over the limit", frame(BINARY, new byte[MAX + 1]), "close:1009"),
                row("header alone claiming 2^62 bytes", header(BINARY, 1L << 62, true), "close:1009"),
                row("64-bit length with the high bit set", header(BINARY, Long.MIN_VALUE, true), "close:1002"),
                row("fragments adding up past the limit",
                        concat(frame(TEXT_MORE, new byte[MAX / 2]), frame(CONT_MORE, new byte[MAX / 2]),
                                header(CONT, 1, true)), "close:1009"),
                // closing handshake (§5.5.1, §7.4)
                row("close 1000 is echoed", close(1000), "close:1000"),
                row("close 1001 is echoed", close(1001), "close:1001"),
                row("close 1011 is echoed", close(1011), "close:1011"),
                row("close 3000 is echoed", close(3000), "close:3000"),
                row("close 4999 is echoed", close(4999), "close:4999"),
                row("close with a reason is echoed", frame(CLOSE, concat(bytes(0x03, 0xE8), utf8("bye ✓"))), "close:1000"),
                row("empty close gets an empty close", frame(CLOSE, new byte[0]), "close:"),
                row("close payload of 1 byte", frame(CLOSE, bytes(0x03)), "close:1002"),
                row("close code 999", close(999), "close:1002"),
                row("close code 1004", close(1004), "close:1002"),
                row("close code 1005 (local only)", close(1005), "close:1002"),
                row("close code 1006 (local only)", close(1006), "close:1002"),
                row("close code 1015 (local only)", close(1015), "close:1002"),
                row("close code 2999", close(2999), "close:1002"),
                row("close code 5000", close(5000), "close:1002"),
                row("close reason not UTF-8", frame(CLOSE, bytes(0x03, 0xE8, 0xC3, 0x28)), "close:1007"),
                row("fragmented close", frame(0x08, bytes(0x03, 0xE8)), "close:1002"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void serverAnswersRawFramesAsRfc6455Says(String name, byte[] send, List<String> expected) throws Exception {
        try (var client = RawClient.connect(server.port())) {
            assertEquals("text:" + TestServer.SNAPSHOT, client.readFrame(), "the snapshot comes first");
            client.send(send);
            var got = new ArrayList<String>();
            for (int i = 0; i < expected.size(); i++) got.add(client.readFrame());
            assertEquals(expected, got);

            if (!expected.get(expected.size() - 1).startsWith("close:")) {
                client.send(close(1000));  // the connection must still be healthy
                assertEquals("close:1000", client.readFrame());
            }
            assertTrue(client.closedByServer(5_000), "the server ends the TCP connection after the close");
        }
        assertTrue(Waits.until(Duration.ofSeconds(5), () -> server.hub.clientCount() == 0), "client deregistered");
    }

    // --- infra ---

    private static Arguments row(String name, byte[] send, String... expected) {
        return Arguments.of(name, send, Arrays.asList(expected));
    }
}
