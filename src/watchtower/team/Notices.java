package watchtower.team;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import watchtower.core.DbTarget;
import watchtower.core.Threads;
import watchtower.store.PostgresConnections;

/**
 * PostgreSQL LISTEN/NOTIFY between the instances on one database: each notice is
 * "{instance} {json}" on a channel. NOTIFY carries at most 8000 bytes, so a longer body goes into
 * the table {@code relay_messages} and the notice carries "#{id}" instead. One thread sends, in
 * the order given (commit order for live messages); one listens and hands each notice to its
 * channel's handler. Both reconnect after the database drops them.
 */
final class Notices implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.team");
    static final int MAX_INLINE = 7_000; // bytes of a NOTIFY payload, below PostgreSQL's 8000
    private static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /** What a channel does with a notice; {@code from} is the sending instance (maybe this one). */
    @FunctionalInterface
    interface Handler {
        void handle(String from, String body) throws IOException;
    }

    private record Outgoing(String channel, String json) {}

    private final DbTarget.Postgres db;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>(100_000);
    private final CompletableFuture<Void> listening = new CompletableFuture<>();
    private volatile boolean running = true;
    private Thread sender;
    private Thread listener;

    Notices(DbTarget.Postgres db) {
        this.db = db;
    }

    String instance() { return instance; }

    /** Registers a channel's handler; call before {@link #start}. */
    void on(String channel, Handler handler) {
        handlers.put(channel, handler);
    }

    /** Starts both threads and returns once listening, so nothing sent after start is missed. */
    void start() {
        sender = Threads.startDaemon("team-notices-send", this::sendLoop);
        listener = Threads.startDaemon("team-notices-listen", this::listenLoop);
        try {
            listening.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "team relay not listening yet; it keeps trying: " + e);
        }
    }

    /** Queues a notice (never blocks); false when the queue is full. */
    boolean send(String channel, String json) {
        return outgoing.offer(new Outgoing(channel, json));
    }

    private void sendLoop() {
        Connection c = null;
        Outgoing next = null; // kept across a reconnect, so the notice that met the failure is not lost
        long nextPrune = 0;
        while (running) {
            try {
                if (next == null) next = outgoing.poll(200, TimeUnit.MILLISECONDS);
                if (next == null) continue;
                if (c == null || c.isClosed()) c = PostgresConnections.open(db);
                notify(c, next.channel(), next.json());
                next = null;
                if (System.nanoTime() - nextPrune > 0) {
                    prune(c);
                    nextPrune = System.nanoTime() + PRUNE_EVERY.toNanos();
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "team relay: sending failed, reconnecting: " + e.getMessage());
                close(c);
                c = null;
                pause();
            }
        }
        close(c);
    }

    private void notify(Connection c, String channel, String json) throws SQLException {
        var payload = instance + " " + json;
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_INLINE) {
            try (var ps = c.prepareStatement("INSERT INTO relay_messages (body) VALUES (?) RETURNING id")) {
                ps.setString(1, json);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    payload = instance + " #" + rs.getLong(1);
                }
            }
        }
        try (var ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, payload);
            ps.execute();
        }
    }

    /** Long bodies are read within moments of their notice; keep them a few minutes, no more. */
    private static void prune(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM relay_messages WHERE created_at < now() - interval '5 minutes'");
        }
    }

    private void listenLoop() {
        while (running) {
            Connection c = null;
            try {
                c = PostgresConnections.open(db);
                try (var st = c.createStatement()) {
                    for (var channel : handlers.keySet()) st.execute("LISTEN " + channel);
                }
                listening.complete(null);
                var pg = c.unwrap(PGConnection.class);
                while (running) {
                    var notices = pg.getNotifications(500);
                    if (notices == null) continue;
                    for (var n : notices) receive(c, n.getName(), n.getParameter());
                }
            } catch (SQLException e) {
                if (running) LOG.log(System.Logger.Level.WARNING, "team relay: listening failed, reconnecting: " + e.getMessage());
                pause();
            } finally {
                close(c);
            }
        }
    }

    private void receive(Connection c, String channel, String payload) throws SQLException {
        int space = payload.indexOf(' ');
        var handler = handlers.get(channel);
        if (space < 0 || handler == null) return;
        var from = payload.substring(0, space);
        var body = payload.substring(space + 1);
        try {
            if (body.startsWith("#")) body = stored(c, Long.parseLong(body.substring(1)));
            if (body != null) handler.handle(from, body);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "team relay: dropped a notice on " + channel + ": " + e);
        }
    }

    private static String stored(Connection c, long id) throws SQLException {
        try (var ps = c.prepareStatement("SELECT body FROM relay_messages WHERE id = ?")) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT.toMillis()); // back off before reconnecting to a database that just failed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        running = false;
        for (var t : new Thread[] {sender, listener}) {
            if (t == null) continue;
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
