package watchtower.websocket;

import java.util.Map;

/** An upgrade request we refuse: the HTTP status, a one-line detail, and headers the status needs. */
public final class HandshakeRejected extends Exception {
    private final int status;
    private final Map<String, String> headers;

    public HandshakeRejected(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);  // an expected outcome: no stack trace needed
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public HandshakeRejected(int status, String detail) {
        this(status, detail, Map.of());
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
