package watchtower.server;

/**
 * Limits and socket options of the JDK HttpServer, which it reads once from system properties when the first
 * server is created: a client that dribbles its request (slowloris) is cut after
 * {@code maxReqTime}; header count and size are bounded. maxRspTime is left unset on purpose:
 * it would kill WebSockets and held PermissionRequest answers, which are long responses.
 */
public final class Limits {
    private Limits() {}

    public static final int REQUEST_SECONDS = 20;

    public static void apply() {
        setIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "100");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", String.valueOf(64 * 1024));
        setIfAbsent("jdk.httpserver.maxConnections", "4096");
        // The JDK server writes headers and body separately; with Nagle on, a keep-alive client's
        // next request waits for the delayed ACK (~40 ms each). Hooks and dashboards keep alive.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
