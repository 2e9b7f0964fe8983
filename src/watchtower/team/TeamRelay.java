package watchtower.team;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import watchtower.agent.AgentRegistry;
import watchtower.core.DbTarget;
import watchtower.core.Threads;
import watchtower.http.Json;
import watchtower.store.PostgresConnections;

/**
 * Several Watchtower instances on one PostgreSQL database: what one commits reaches the others'
 * live clients, and a decision taken on one answers the hook another holds. Over LISTEN/NOTIFY:
 * - channel {@code wt_live}: every live message, prefixed with the sending instance's id (each
 *   instance has already sent its own to its clients). NOTIFY carries at most 8000 bytes, so a
 *   longer message goes into the table {@code relay_messages} and the notice carries its id;
 * - channel {@code wt_decide}: "answer approval N" for whoever holds its hook, and the holder's
 *   acknowledgement, so the decider can say truthfully whether the agent was answered;
 * - channel {@code wt_agent}: a control command for a machine whose `wtctl agent` polls another
 *   instance; the instance where its poll is parked takes it, runs it, and sends the result back.
 * One thread sends (in commit order), one listens; both reconnect after the database drops them.
 */
public final class TeamRelay implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.team");
    static final int MAX_INLINE = 7_000; // bytes of a NOTIFY payload, below PostgreSQL's 8000
    private static final Duration RECONNECT = Duration.ofSeconds(1);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    /** How long to wait for the instance holding a machine's agent poll to take a command. */
    static final Duration TAKE_WAIT = Duration.ofSeconds(1);
    /** How often each instance says which machines' agents poll it (well inside the online window). */
    static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(10);

    /** What the relay does with what arrives from other instances. */
    public interface Receiver {
        void liveMessage(String json);

        /** Answers a held hook if this instance holds it; true if it did. */
        boolean decide(long approvalId, boolean approve, String message);

        /** Whether the machine's `wtctl agent` has a poll parked on this instance. */
        boolean polling(String machine);

        /** Runs a command through that agent (called only when {@link #polling} said yes). */
        AgentRegistry.Result callAgent(String machine, ObjectNode command, Duration timeout);

        /** Machines whose agents poll this instance: announced to the others every few seconds. */
        java.util.List<String> agentsHere();
    }

    /** A command forwarded to the instance whose agent poll is parked: who took it, and its result. */
    private record Forwarded(CompletableFuture<Void> taken, CompletableFuture<AgentRegistry.Result> result) {}

    private final DbTarget.Postgres db;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final Receiver receiver;
    private final LinkedBlockingQueue<String[]> outgoing = new LinkedBlockingQueue<>(100_000);
    private final Map<Long, CompletableFuture<Boolean>> awaitingAck = new ConcurrentHashMap<>();
    private final Map<String, Forwarded> forwarded = new ConcurrentHashMap<>();
    private final Map<String, Long> agentsElsewhere = new ConcurrentHashMap<>(); // machine -> nanoTime announced
    private final java.util.concurrent.ExecutorService agentCalls = Threads.perTask("team-agent-call");
    private final Thread sender;
    private final Thread listener;
    private volatile boolean running = true;
    private final CompletableFuture<Void> listening = new CompletableFuture<>();

    private TeamRelay(DbTarget.Postgres db, Receiver receiver) {
        this.db = db;
        this.receiver = receiver;
        this.sender = Threads.startDaemon("team-relay-send", this::sendLoop);
        this.listener = Threads.startDaemon("team-relay-listen", this::listenLoop);
    }

    /** Starts relaying; returns once this instance listens, so nothing committed after start is missed. */
    public static TeamRelay start(DbTarget.Postgres db, Receiver receiver) {
        var relay = new TeamRelay(db, receiver);
        try {
            relay.listening.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "team relay not listening yet; it keeps trying: " + e);
        }
        return relay;
    }

    public String instance() { return instance; }

    /** Queues a committed live message for the other instances (never blocks ingest). */
    public void publish(String json) {
        if (!outgoing.offer(new String[] {"wt_live", json})) {
            LOG.log(System.Logger.Level.WARNING, "team relay queue full; a live message reaches only this instance's clients");
        }
    }

    /**
     * Asks the other instances to answer approval {@code id}'s held hook; true when one did within
     * {@code wait}. Used after this instance found no hook of its own to answer.
     */
    public boolean decideElsewhere(long approvalId, boolean approve, String message, Duration wait) {
        var ack = new CompletableFuture<Boolean>();
        awaitingAck.put(approvalId, ack);
        try {
            var body = Json.write(Map.of("op", "decide", "id", approvalId, "approve", approve,
                    "message", message == null ? "" : message));
            outgoing.offer(new String[] {"wt_decide", body});
            return ack.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        } finally {
            awaitingAck.remove(approvalId);
        }
    }

    /**
     * Runs {@code command} through the machine's agent on whichever instance it polls; empty when
     * no instance takes it within {@code TAKE_WAIT} (no agent polling anywhere right now).
     */
    public Optional<AgentRegistry.Result> callElsewhere(String machine, ObjectNode command, Duration timeout) {
        var id = UUID.randomUUID().toString();
        var call = new Forwarded(new CompletableFuture<>(), new CompletableFuture<>());
        forwarded.put(id, call);
        try {
            var body = Json.MAPPER.createObjectNode().put("op", "call").put("id", id).put("machine", machine)
                    .put("timeout_ms", timeout.toMillis());
            body.set("command", command);
            outgoing.offer(new String[] {"wt_agent", Json.write(body)});
            try {
                call.taken().get(TAKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return Optional.empty();
            }
            try {
                return Optional.of(call.result().get(timeout.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                return Optional.of(new AgentRegistry.Result(false, null,
                        "did not answer within " + timeout.toSeconds() + " s (through another instance)", 503));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.empty();
        } finally {
            forwarded.remove(id);
        }
    }

    /** Whether another instance announced, within the agent online window, that the machine's agent polls it. */
    public boolean agentOnlineElsewhere(String machine) {
        var at = agentsElsewhere.get(machine);
        return at != null && System.nanoTime() - at < AgentRegistry.ONLINE_WINDOW.toNanos();
    }

    private void announceAgents() {
        var here = receiver.agentsHere();
        if (here.isEmpty()) return;
        var body = Json.MAPPER.createObjectNode().put("op", "present");
        here.forEach(body.putArray("machines")::add);
        outgoing.offer(new String[] {"wt_agent", Json.write(body)});
    }

    private void onAgent(String from, String body) throws java.io.IOException {
        var node = Json.MAPPER.readTree(body);
        var id = node.path("id").asText();
        switch (node.path("op").asText()) {
            case "present" -> {
                if (from.equals(instance)) return;
                long now = System.nanoTime();
                node.path("machines").forEach(m -> agentsElsewhere.put(m.asText(), now));
            }
            case "call" -> {
                var machine = node.path("machine").asText();
                if (from.equals(instance) || !receiver.polling(machine) || !(node.get("command") instanceof ObjectNode cmd)) {
                    return;
                }
                outgoing.offer(new String[] {"wt_agent", Json.write(Map.of("op", "taken", "id", id, "to", from))});
                var timeout = Duration.ofMillis(node.path("timeout_ms").asLong(15_000));
                agentCalls.execute(() -> {
                    AgentRegistry.Result r;
                    try {
                        r = receiver.callAgent(machine, cmd, timeout);
                    } catch (watchtower.http.ApiError e) {
                        r = new AgentRegistry.Result(false, null, e.detail(), e.status());
                    } catch (RuntimeException e) {
                        r = new AgentRegistry.Result(false, null, "the command failed: " + e.getMessage(), 409);
                    }
                    var reply = Json.MAPPER.createObjectNode().put("op", "result").put("id", id).put("to", from)
                            .put("ok", r.ok()).put("error", r.error()).put("status", r.status());
                    reply.set("result", r.result());
                    outgoing.offer(new String[] {"wt_agent", Json.write(reply)});
                });
            }
            case "taken", "result" -> {
                if (!node.path("to").asText().equals(instance)) return;
                var call = forwarded.get(id);
                if (call == null) return;
                call.taken().complete(null);
                if (node.path("op").asText().equals("result")) {
                    var result = node.get("result") instanceof ObjectNode o ? o : null;
                    call.result().complete(new AgentRegistry.Result(node.path("ok").asBoolean(), result,
                            node.path("error").isTextual() ? node.path("error").asText() : null, node.path("status").asInt(200)));
                }
            }
            default -> { }
        }
    }

    private void sendLoop() {
        Connection c = null;
        long nextPrune = 0;
        long nextAnnounce = 0;
        while (running) {
            try {
                if (System.nanoTime() - nextAnnounce > 0) {
                    announceAgents();
                    nextAnnounce = System.nanoTime() + ANNOUNCE_EVERY.toNanos();
                }
                var next = outgoing.poll(200, TimeUnit.MILLISECONDS);
                if (next == null) continue;
                if (c == null || c.isClosed()) c = PostgresConnections.open(db);
                send(c, next[0], next[1]);
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

    /** Long messages are read within moments of their notice; keep them a few minutes, no more. */
    private static void prune(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM relay_messages WHERE created_at < now() - interval '5 minutes'");
        }
    }

    private void send(Connection c, String channel, String json) throws SQLException {
        var payload = instance + " " + json;
        if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_INLINE) {
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

    private void listenLoop() {
        while (running) {
            Connection c = null;
            try {
                c = PostgresConnections.open(db);
                try (var st = c.createStatement()) {
                    st.execute("LISTEN wt_live");
                    st.execute("LISTEN wt_decide");
                    st.execute("LISTEN wt_agent");
                }
                listening.complete(null);
                var pg = c.unwrap(PGConnection.class);
                while (running) {
                    var notices = pg.getNotifications(500);
                    if (notices == null) continue;
                    for (var n : notices) {
                        try {
                            receive(c, n.getName(), n.getParameter());
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "team relay: dropped a notice: " + e);
                        }
                    }
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
        if (space < 0) return;
        var from = payload.substring(0, space);
        var body = payload.substring(space + 1);
        if (body.startsWith("#")) body = stored(c, Long.parseLong(body.substring(1)));
        if (body == null) return;
        if (channel.equals("wt_live")) {
            if (!from.equals(instance)) receiver.liveMessage(body);
        } else if (channel.equals("wt_decide")) {
            onDecide(from, body);
        } else if (channel.equals("wt_agent")) {
            try {
                onAgent(from, body);
            } catch (java.io.IOException e) {
                LOG.log(System.Logger.Level.WARNING, "team relay: unreadable agent notice: " + e.getMessage());
            }
        }
    }

    private void onDecide(String from, String body) {
        try {
            var node = Json.MAPPER.readTree(body);
            long id = node.path("id").asLong();
            switch (node.path("op").asText()) {
                case "decide" -> {
                    if (from.equals(instance)) return;
                    var message = node.path("message").asText("");
                    if (receiver.decide(id, node.path("approve").asBoolean(), message.isEmpty() ? null : message)) {
                        outgoing.offer(new String[] {"wt_decide",
                                Json.write(Map.of("op", "answered", "id", id, "to", from))});
                    }
                }
                case "answered" -> {
                    if (!node.path("to").asText().equals(instance)) return;
                    var ack = awaitingAck.get(id);
                    if (ack != null) ack.complete(true);
                }
                default -> { }
            }
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "team relay: unreadable decision notice: " + e.getMessage());
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
        agentCalls.shutdownNow();
        sender.interrupt();
        listener.interrupt();
        try {
            sender.join(2_000);
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
