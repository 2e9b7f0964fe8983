package watchtower.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Reads client frames (RFC 6455 §5) from the raw socket stream: checks every header rule before
 * reading the payload, unmasks it, and reassembles fragmented messages; control frames may arrive
 * between fragments and are handed out at once. Sizes are checked against the limit before any
 * payload is allocated, so a header claiming 2^62 bytes costs nothing. No extension is ever
 * negotiated, so reserved bits are always an error. One reader per connection; not thread-safe.
 */
public final class FrameReader {
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final InputStream in;
    private final int maxMessageBytes;
    private final CharsetDecoder utf8 = UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private Opcode partialType;             // TEXT or BINARY while a fragmented message is open
    private ByteArrayOutputStream partial;  // its payload so far

    public FrameReader(InputStream in, int maxMessageBytes) {
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The next control frame or whole data message. A close frame has a checked payload (see
     * {@link CloseCodes#parse}); a text message is valid UTF-8 as a whole, so a character split
     * across fragments is fine and a broken one is caught wherever it falls.
     */
    public Frame next() throws IOException {
        while (true) {
            var frame = readFrame(partial == null ? 0 : partial.size());
            var op = frame.opcode();
            if (op.isControl()) {
                if (op == Opcode.CLOSE) CloseCodes.parse(frame.payload());
                return frame;
            }
            if (op == Opcode.CONTINUATION) {
                if (partial == null) {
                    throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "continuation frame with no message to continue");
                }
                partial.writeBytes(frame.payload());
                if (!frame.fin()) continue;
                var message = new Frame(true, partialType, partial.toByteArray());
                partial = null;
                partialType = null;
                return checked(message);
            }
            if (partial != null) {
                throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "new " + op + " frame before the fragmented message ended");
            }
            if (frame.fin()) return checked(frame);
            partialType = op;
            partial = new ByteArrayOutputStream();
            partial.writeBytes(frame.payload());
        }
    }

    /** One frame as sent; {@code buffered} is the size of the fragmented message it may continue. */
    Frame readFrame(long buffered) throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        boolean fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "reserved bits set, but no extension was negotiated");
        }
        var op = Opcode.fromCode(b0 & 0x0F).orElseThrow(() ->
                new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "reserved opcode 0x" + Integer.toHexString(b0 & 0x0F)));
        // §5.1: a server must close the connection on an unmasked client frame
        if ((b1 & 0x80) == 0) throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "client frames must be masked");
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | readByte();
            if (length < 0) throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "64-bit length with the high bit set");
        }
        if (op.isControl()) {
            if (!fin) throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, "fragmented " + op + " frame");
            if (length > MAX_CONTROL_PAYLOAD) {
                throw new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, op + " payload over 125 bytes");
            }
        } else if (length > maxMessageBytes - buffered) {
            throw new ProtocolViolation(CloseCodes.MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes");
        }
        var mask = readExactly(4);
        var payload = readExactly((int) length);
        for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
        return new Frame(fin, op, payload);
    }

    private Frame checked(Frame message) throws ProtocolViolation {
        if (message.opcode() == Opcode.TEXT) {
            try {
                utf8.decode(ByteBuffer.wrap(message.payload()));
            } catch (CharacterCodingException e) {
                throw new ProtocolViolation(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
            }
        }
        return message;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("connection ended");
        return b;
    }

    private byte[] readExactly(int n) throws IOException {
        var bytes = new byte[n];
        if (in.readNBytes(bytes, 0, n) < n) throw new EOFException("connection ended");
        return bytes;
    }
}
