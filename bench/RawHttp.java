import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 client over one loopback socket: either keep-alive (the socket is
 * reused until the server closes it) or a new connection per request, as a curl hook makes.
 * It exists because the load generator shares two cores with the server under test, and
 * java.net.http costs several times more CPU per request. Handles Content-Length, chunked and
 * close-delimited bodies; nothing else (no redirects, no TLS, no 100-continue).
 */
final class RawHttp implements AutoCloseable {
    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;
    private final boolean keepAlive;
    private final int timeoutMs;
    private final String token;
    private Socket socket;
    private BufferedInputStream in;
    private OutputStream out;
    private boolean closeRequested;

    /** {@code token}, when not null, is sent as X-UVS-Token (our server; the reference ignores it). */
    RawHttp(int port, boolean keepAlive, int timeoutMs, String token) {
        this.port = port;
        this.keepAlive = keepAlive;
        this.timeoutMs = timeoutMs;
        this.token = token;
    }

    Reply post(String path, byte[] json) throws IOException {
        return send("POST", path, json, "");
    }

    Reply post(String path, byte[] json, String extraHeaders) throws IOException {
        return send("POST", path, json, extraHeaders);
    }

    Reply get(String path) throws IOException {
        return send("GET", path, null, "");
    }

    /** Opens the connection now, so a later request measures (or races) only the request itself. */
    void connect() throws IOException {
        if (socket != null) return;
        var s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMs);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMs);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    /** {@code extraHeaders}: complete header lines, each ending in CRLF, or "". */
    Reply send(String method, String path, byte[] body, String extraHeaders) throws IOException {
        connect();
        try {
            var head = new StringBuilder(256)
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n");
            if (token != null) head.append("X-UVS-Token: ").append(token).append("\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append(extraHeaders).append("\r\n");
            var headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
            // one write: a request split over two segments can meet Nagle plus delayed ACK (40 ms)
            var whole = new byte[headBytes.length + (body == null ? 0 : body.length)];
            System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
            if (body != null) System.arraycopy(body, 0, whole, headBytes.length, body.length);
            out.write(whole);
            out.flush();
            var reply = readReply(method.equals("HEAD"));
            if (!keepAlive || closeRequested) close();
            return reply;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Reply readReply(boolean head) throws IOException {
        closeRequested = false;
        var statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.")) throw new IOException("not an HTTP response: " + abbreviate(statusLine));
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String line; !(line = readLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            var name = line.substring(0, colon).trim();
            var value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
            else if (name.equalsIgnoreCase("Transfer-Encoding")) chunked = value.equalsIgnoreCase("chunked");
            else if (name.equalsIgnoreCase("Connection")) closeRequested = value.equalsIgnoreCase("close");
        }
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) return new Reply(status, new byte[0]);
        if (chunked) return new Reply(status, readChunked());
        if (length >= 0) return new Reply(status, readExactly((int) length));
        closeRequested = true; // body ends when the server closes
        return new Reply(status, in.readAllBytes());
    }

    private byte[] readChunked() throws IOException {
        var buf = new ByteArrayOutputStream();
        while (true) {
            var sizeLine = readLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) { } // trailers
                return buf.toByteArray();
            }
            buf.write(readExactly(size));
            readLine(); // CRLF after each chunk
        }
    }

    private byte[] readExactly(int n) throws IOException {
        var bytes = in.readNBytes(n);
        if (bytes.length != n) throw new EOFException("body ended after " + bytes.length + " of " + n + " bytes");
        return bytes;
    }

    private String readLine() throws IOException {
        var line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed by the server");
            if (b == '\n') break;
            if (b != '\r') line.append((char) b);
            if (line.length() > 16 * 1024) throw new IOException("response header line too long");
        }
        return line.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            // closing a loopback socket we are abandoning: nothing left to do with it
        }
        socket = null;
        in = null;
        out = null;
    }
}
