package watchtower.websocket;

import java.time.Duration;

/**
 * Limits for a Hub. {@code maxClients} caps live sockets (each holds an HTTP handler thread);
 * {@code queueCapacity} is how many broadcasts may wait for one client before it counts as stuck;
 * {@code maxMessageBytes} bounds a message from a client; every {@code pingInterval} each client
 * is pinged, and one that sent nothing for {@code pongTimeout} is dropped.
 */
public record HubConfig(int maxClients, int queueCapacity, int maxMessageBytes,
                        Duration pingInterval, Duration pongTimeout) {
    public HubConfig {
        if (maxClients < 1) throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        if (maxMessageBytes < 125) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 125, got " + maxMessageBytes);
        }
        if (pingInterval.isNegative() || pingInterval.isZero()) {
            throw new IllegalArgumentException("pingInterval must be positive, got " + pingInterval);
        }
        // A healthy but quiet client is heard from once per ping; a shorter timeout would drop it.
        if (pongTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("pongTimeout (" + pongTimeout + ") must be longer than pingInterval ("
                    + pingInterval + ")");
        }
    }

    /**
     * 1000 clients, 1000 queued messages each (and at most Outbox.MAX_QUEUED_BYTES), 1 MiB messages,
     * ping every 30 s, drop after 60 s of silence.
     */
    public static HubConfig defaults() {
        return new HubConfig(1000, 1000, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }
}
