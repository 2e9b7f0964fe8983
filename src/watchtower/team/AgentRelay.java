package watchtower.team;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import watchtower.agent.AgentRegistry;
import watchtower.core.Threads;
import watchtower.http.ApiError;
import watchtower.http.Json;

/**
 * Channel {@code wt_agent}: a machine's `wtctl agent` polls one instance behind the shared URL.
 * A control command arriving at another instance is offered to all; the one where the agent's
 * poll is parked takes it ("taken"), runs it, and sends the result back. Every few seconds each
 * instance also says which machines' agents poll it, so all of them show those machines online.
 */
final class AgentRelay implements AutoCloseable {
    static final String CHANNEL = "wt_agent";
    /** How long to wait for the instance holding a machine's agent poll to take a command. */
    static final Duration TAKE_WAIT = Duration.ofSeconds(1);
    /** How often each instance says which machines' agents poll it (well inside the online window). */
    static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(10);

    /** A command sent to another instance: whether one took it, and its result. */
    private record Forwarded(CompletableFuture<Void> taken, CompletableFuture<AgentRegistry.Result> result) {}

    private final Notices notices;
    private final AgentRegistry agents;
    private final Map<String, Forwarded> forwarded = new ConcurrentHashMap<>();
    private final Map<String, Long> announced = new ConcurrentHashMap<>(); // machine -> nanoTime heard
    private final ExecutorService calls = Threads.perTask("team-agent-call");
    private final ScheduledExecutorService announcer =
            Executors.newSingleThreadScheduledExecutor(Threads.named("team-agent-announce", true));

    AgentRelay(Notices notices, AgentRegistry agents) {
        this.notices = notices;
        this.agents = agents;
        notices.on(CHANNEL, this::handle);
        announcer.scheduleWithFixedDelay(this::announce, 0, ANNOUNCE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether another instance said, within the online window, that the machine's agent polls it. */
    boolean onlineElsewhere(String machine) {
        var at = announced.get(machine);
        return at != null && System.nanoTime() - at < AgentRegistry.ONLINE_WINDOW.toNanos();
    }

    /** Runs the command through the agent on whichever instance it polls; empty when none takes it. */
    Optional<AgentRegistry.Result> callElsewhere(String machine, ObjectNode command, Duration timeout) {
        var id = UUID.randomUUID().toString();
        var call = new Forwarded(new CompletableFuture<>(), new CompletableFuture<>());
        forwarded.put(id, call);
        try {
            var body = Json.MAPPER.createObjectNode().put("op", "call").put("id", id).put("machine", machine)
                    .put("timeout_ms", timeout.toMillis());
            body.set("command", command);
            notices.send(CHANNEL, Json.write(body));
            call.taken().get(TAKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            forwarded.remove(id);
            return Optional.empty(); // no instance has the agent's poll right now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forwarded.remove(id);
            return Optional.empty();
        }
        try {
            return Optional.of(call.result().get(timeout.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.of(new AgentRegistry.Result(false, null,
                    "did not answer within " + timeout.toSeconds() + " s (through another instance)", 503));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new AgentRegistry.Result(false, null, "interrupted", 503));
        } finally {
            forwarded.remove(id);
        }
    }

    private void announce() {
        var here = agents.onlineMachines();
        if (here.isEmpty()) return;
        var body = Json.MAPPER.createObjectNode().put("op", "present");
        here.forEach(body.putArray("machines")::add);
        notices.send(CHANNEL, Json.write(body));
    }

    private void handle(String from, String body) throws java.io.IOException {
        var node = Json.MAPPER.readTree(body);
        var id = node.path("id").asText();
        boolean mine = from.equals(notices.instance());
        switch (node.path("op").asText()) {
            case "present" -> {
                if (mine) return;
                long now = System.nanoTime();
                node.path("machines").forEach(m -> announced.put(m.asText(), now));
            }
            case "call" -> {
                var machine = node.path("machine").asText();
                if (mine || !agents.polling(machine) || !(node.get("command") instanceof ObjectNode command)) return;
                notices.send(CHANNEL, Json.write(Map.of("op", "taken", "id", id, "to", from)));
                var timeout = Duration.ofMillis(node.path("timeout_ms").asLong(15_000));
                calls.execute(() -> run(id, from, machine, command, timeout));
            }
            case "taken", "result" -> {
                var call = node.path("to").asText().equals(notices.instance()) ? forwarded.get(id) : null;
                if (call == null) return;
                call.taken().complete(null);
                if (node.path("op").asText().equals("result")) {
                    call.result().complete(new AgentRegistry.Result(node.path("ok").asBoolean(),
                            node.get("result") instanceof ObjectNode o ? o : null,
                            node.path("error").isTextual() ? node.path("error").asText() : null,
                            node.path("status").asInt(200)));
                }
            }
            default -> { }
        }
    }

    private void run(String id, String to, String machine, ObjectNode command, Duration timeout) {
        AgentRegistry.Result r;
        try {
            r = agents.call(machine, command, timeout);
        } catch (ApiError e) {
            r = new AgentRegistry.Result(false, null, e.detail(), e.status());
        } catch (RuntimeException e) {
            r = new AgentRegistry.Result(false, null, "the command failed: " + e.getMessage(), 409);
        }
        var reply = Json.MAPPER.createObjectNode().put("op", "result").put("id", id).put("to", to)
                .put("ok", r.ok()).put("error", r.error()).put("status", r.status());
        reply.set("result", r.result());
        notices.send(CHANNEL, Json.write(reply));
    }

    @Override
    public void close() {
        announcer.shutdownNow();
        calls.shutdownNow();
    }
}
