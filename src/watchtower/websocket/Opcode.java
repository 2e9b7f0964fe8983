package watchtower.websocket;

import java.util.Optional;

/**
 * The frame opcodes of RFC 6455 §5.2. The other ten values are reserved; without a negotiated
 * extension a frame carrying one is a protocol error, which is why lookup returns an Optional.
 */
public enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Control frames (close, ping, pong) have the high bit of the opcode set (RFC 6455 §5.5). */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    public static Optional<Opcode> fromCode(int code) {
        for (var op : values()) {
            if (op.code == code) return Optional.of(op);
        }
        return Optional.empty();
    }
}
