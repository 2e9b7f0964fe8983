package watchtower.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Encodes server frames (never masked, never fragmented, RFC 6455 §5.2) and writes them whole.
 * Encoding is static so a broadcast is encoded once and the same bytes go to every client.
 * Writing goes straight to the socket channel: a batch of frames is copied into the writer's
 * scratch buffer and leaves in as few system calls as that buffer allows, rather than one write
 * and one flush per frame. Writes hold a ReentrantLock rather than {@code synchronized}: on
 * Java 21-23 a virtual thread blocked inside {@code synchronized} pins its carrier thread.
 */
public final class FrameWriter {
    private static final int MAX_CLOSE_REASON_BYTES = 123;  // 125 minus the 2-byte code

    private final WritableByteChannel out;
    private final ReentrantLock lock = new ReentrantLock();

    public FrameWriter(WritableByteChannel out) {
        this.out = out;
    }

    /** Writes already-encoded bytes (the 101 response) as they are. */
    public void write(byte[] bytes) throws IOException {
        lock.lock();
        try {
            writeFully(ByteBuffer.wrap(bytes));
        } finally {
            lock.unlock();
        }
    }

    /** Writes frames back to back through {@code scratch} (cleared first; any size, direct is best). */
    public void write(List<byte[]> frames, ByteBuffer scratch) throws IOException {
        lock.lock();
        try {
            scratch.clear();
            for (var frame : frames) {
                for (int off = 0; off < frame.length; ) {
                    if (!scratch.hasRemaining()) send(scratch);
                    int n = Math.min(scratch.remaining(), frame.length - off);
                    scratch.put(frame, off, n);
                    off += n;
                }
            }
            send(scratch);
        } finally {
            lock.unlock();
        }
    }

    private void send(ByteBuffer scratch) throws IOException {
        scratch.flip();
        writeFully(scratch);
        scratch.clear();
    }

    // The JDK server hands the exchange over in blocking mode, so each write waits for room.
    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }

    public static byte[] text(String text) {
        return encode(Opcode.TEXT, text.getBytes(UTF_8));
    }

    /** A close frame with a code and a reason cut, at a character boundary, to fit 125 bytes. */
    public static byte[] close(int code, String reason) {
        var buf = ByteBuffer.allocate(2 + MAX_CLOSE_REASON_BYTES);
        buf.putShort((short) code);
        CharsetEncoder encoder = UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        encoder.encode(CharBuffer.wrap(reason), buf, true);  // stops when full, never mid-character
        var payload = new byte[buf.position()];
        buf.flip().get(payload);
        return encode(Opcode.CLOSE, payload);
    }

    /** One final frame: FIN set, no mask, the shortest length form (7, 16 or 64 bits). */
    public static byte[] encode(Opcode opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        var frame = new byte[header + n];
        frame[0] = (byte) (0x80 | opcode.code());
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }
}
