package watchtower.websocket;

import java.io.IOException;

/**
 * The peer broke RFC 6455. Carries the close code the server answers with before it drops the
 * connection: 1002 (protocol error), 1007 (bad UTF-8) or 1009 (message too big).
 */
public final class ProtocolViolation extends IOException {
    private final int closeCode;

    public ProtocolViolation(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
