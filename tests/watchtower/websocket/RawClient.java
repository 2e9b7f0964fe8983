package watchtower.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A WebSocket client on a plain Socket that writes exactly the bytes a test gives it, so tests
 * can send what no real client library would (unmasked frames, reserved bits, broken UTF-8).
 */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the handshake; fails the test unless the answer is 101. */
    static RawClient connect(int port) throws IOException {
        var client = new RawClient(new Socket("127.0.0.1", port));
        client.socket.setSoTimeout(10_000);
        var nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        var key = Base64.getEncoder().encodeToString(nonce);
        client.out.write(("GET /live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(US_ASCII));
        client.out.flush();
        var head = client.readHead();
        if (!head.startsWith("HTTP/1.1 101") || !head.contains("Sec-WebSocket-Accept: " + Handshake.acceptKey(key))) {
            client.close();
            throw new IOException("handshake failed: " + head);
        }
        return client;
    }

    /** The status line and headers of an HTTP response, up to the blank line. */
    String readHead() throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed inside the response head: " + head);
            head.append((char) b);
        }
        return head.toString();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next server frame rendered as text: "text:...", "pong:...", "ping:...", "close:1000" or "close:". */
    String readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        if ((b1 & 0x80) != 0) throw new IOException("the server masked a frame");
        long len = b1 & 0x7F;
        if (len == 126) len = (readByte() << 8) | readByte();
        else if (len == 127) len = ByteBuffer.wrap(in.readNBytes(8)).getLong();
        var payload = in.readNBytes((int) len);
        if (payload.length < len) throw new EOFException("connection closed inside a frame");
        var fin = (b0 & 0x80) != 0 ? "" : "(more)";
        return switch (b0 & 0x0F) {
            case 0x1 -> "text" + fin + ":" + new String(payload, UTF_8);
            case 0x2 -> "binary" + fin + ":" + payload.length;
            case 0x8 -> payload.length < 2 ? "close:" : "close:" + (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
            case 0x9 -> "ping:" + new String(payload, UTF_8);
            case 0xA -> "pong:" + new String(payload, UTF_8);
            default -> "opcode" + (b0 & 0x0F) + ":" + payload.length;
        };
    }

    /** True when the server closed the TCP connection (EOF or reset) before the timeout. */
    boolean closedByServer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            var buf = new byte[8192];
            while (in.read(buf) >= 0) { /* discard what was still in flight */ }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;  // a reset also ends it
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("connection closed");
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // --- frame builders ---

    /** A masked client frame; {@code first} is the whole first byte (FIN, RSV bits, opcode). */
    static byte[] frame(int first, byte[] payload) {
        return frame(first, payload, true);
    }

    static byte[] frame(int first, byte[] payload, boolean masked) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(header(first, payload.length, masked));
        var mask = new byte[] {0x37, (byte) 0xFA, 0x21, 0x3D};
        if (masked) out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) out.write(masked ? payload[i] ^ mask[i & 3] : payload[i]);
        return out.toByteArray();
    }

    /** Only a header, claiming {@code length} bytes in the shortest form (or 64 bits when {@code long64}). */
    static byte[] header(int first, long length, boolean masked) {
        var out = new ByteArrayOutputStream();
        out.write(first);
        int maskBit = masked ? 0x80 : 0;
        if (length >= 0 && length < 126) {
            out.write(maskBit | (int) length);
        } else if (length >= 0 && length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(length).array());
        }
        return out.toByteArray();
    }

    static byte[] close(int code) {
        return frame(0x88, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    static byte[] bytes(int... values) {
        var out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }
}
