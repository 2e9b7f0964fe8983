package watchtower.websocket;

import com.sun.net.httpserver.Headers;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The opening handshake of RFC 6455 §4.2: checks the upgrade request and builds the 101 reply.
 * It checks only the protocol; Host, Origin and credentials are the caller's business. No
 * extension (permessage-deflate included) or subprotocol is ever negotiated: the reply simply
 * leaves those headers out, which RFC 6455 §9.1 allows.
 */
public record Handshake(String key) {
    /** The fixed GUID every server appends to the client's key (RFC 6455 §1.3). */
    private static final String KEY_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    public static final String VERSION = "13";

    /** The request's key if it is a valid version-13 upgrade, else why not. */
    public static Handshake check(String method, Headers headers) throws HandshakeRejected {
        if (!"GET".equals(method)) {
            throw new HandshakeRejected(405, "a WebSocket upgrade must be a GET", Map.of("Allow", "GET"));
        }
        if (!hasToken(headers.get("Upgrade"), "websocket")) {
            throw new HandshakeRejected(400, "not a WebSocket upgrade: expected the header Upgrade: websocket");
        }
        if (!hasToken(headers.get("Connection"), "upgrade")) {
            throw new HandshakeRejected(400, "not a WebSocket upgrade: the Connection header must contain Upgrade");
        }
        var versions = headers.getOrDefault("Sec-WebSocket-Version", List.of());
        if (versions.size() != 1 || !VERSION.equals(versions.get(0).trim())) {
            throw new HandshakeRejected(426, "only WebSocket version 13 is supported", Map.of("Sec-WebSocket-Version", VERSION));
        }
        var keys = headers.getOrDefault("Sec-WebSocket-Key", List.of());
        if (keys.size() != 1 || !isKey(keys.get(0).trim())) {
            throw new HandshakeRejected(400, "Sec-WebSocket-Key must be one base64 value of 16 bytes");
        }
        // The JDK would try to drain a body after the socket is handed back; an upgrade has none.
        var length = headers.getFirst("Content-Length");
        if (headers.containsKey("Transfer-Encoding") || (length != null && !length.trim().equals("0"))) {
            throw new HandshakeRejected(400, "a WebSocket upgrade request must not have a body");
        }
        return new Handshake(keys.get(0).trim());
    }

    /** Sec-WebSocket-Accept: base64(SHA-1(key + GUID)), proving we read this very request. */
    public static String acceptKey(String key) {
        try {
            var sha1 = MessageDigest.getInstance("SHA-1").digest((key + KEY_GUID).getBytes(US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** The whole 101 response, written to the raw socket by hand (see RawStreams for why). */
    public byte[] response() {
        return ("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n"
                + "\r\n").getBytes(US_ASCII);
    }

    private static boolean isKey(String value) {
        try {
            return Base64.getDecoder().decode(value).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a comma-separated header (possibly repeated) holds the token, ignoring case. */
    private static boolean hasToken(List<String> values, String token) {
        if (values == null) return false;
        for (var value : values) {
            for (var part : value.split(",")) {
                if (part.trim().toLowerCase(Locale.ROOT).equals(token)) return true;
            }
        }
        return false;
    }
}
