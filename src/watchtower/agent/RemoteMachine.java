package watchtower.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import watchtower.control.Machine;
import watchtower.control.MachineOps;
import watchtower.control.Spawner;
import watchtower.http.ApiError;

/**
 * A machine reached through its `wtctl agent`: each call is one command (MachineOps, checked here
 * before it is queued) that waits at most {@link #TIMEOUT} for its result. No agent polling is a
 * 503 that says so; a command the agent refused is its status and its reason.
 */
public final class RemoteMachine implements Machine {
    /** Long enough for a keystroke answer (settle, then up to three tries of 1.5 s), short for a person. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final AgentRegistry registry;
    private final String name;
    private final Duration timeout;

    public RemoteMachine(AgentRegistry registry, String name) {
        this(registry, name, TIMEOUT);
    }

    RemoteMachine(AgentRegistry registry, String name, Duration timeout) {
        this.registry = registry;
        this.name = name;
        this.timeout = timeout;
    }

    public String name() {
        return name;
    }

    @Override
    public boolean has(String sessionId) {
        return call(MachineOps.has(sessionId)).path("has").asBoolean(false);
    }

    @Override
    public Optional<String> capture(String sessionId) {
        var pane = call(MachineOps.capture(sessionId)).get("pane");
        return pane != null && pane.isTextual() ? Optional.of(pane.textValue()) : Optional.empty();
    }

    @Override
    public boolean typeLiteral(String sessionId, String text) {
        return call(MachineOps.type(sessionId, text)).path("sent").asBoolean(false);
    }

    @Override
    public boolean sendKeys(String sessionId, String... keys) {
        return call(MachineOps.keys(sessionId, keys)).path("sent").asBoolean(false);
    }

    @Override
    public boolean kill(String sessionId) {
        return call(MachineOps.kill(sessionId)).path("killed").asBoolean(false);
    }

    @Override
    public List<String> sessionNames() {
        var out = new ArrayList<String>();
        call(MachineOps.list()).path("sessions").forEach(n -> {
            if (n.isTextual()) out.add(n.textValue());
        });
        return out;
    }

    @Override
    public boolean answer(String sessionId, boolean approve, Optional<Instant> approvalCreatedAt) {
        return call(MachineOps.answer(sessionId, approve, approvalCreatedAt)).path("answered").asBoolean(false);
    }

    @Override
    public String stopVia(String sessionId, Long pid) {
        var via = call(MachineOps.stopVia(sessionId, pid)).get("via");
        return via != null && via.isTextual() ? via.textValue() : null;
    }

    @Override
    public void stop(String sessionId, Long pid, String via) {
        call(MachineOps.stop(sessionId, pid, via));
    }

    @Override
    public String start(String sessionId, Spawner.Launch launch) {
        var target = call(MachineOps.start(sessionId, launch)).path("tmux_target").asText("");
        if (target.isEmpty()) throw ApiError.conflict("machine " + name + " started no tmux session");
        return target;
    }

    private ObjectNode call(ObjectNode command) {
        MachineOps.check(command); // the agent checks again; a command we would refuse is never queued
        var r = registry.call(name, command, timeout);
        if (r.ok()) return r.result() == null ? command.objectNode() : r.result();
        var detail = "machine " + name + ": " + (r.error() == null ? "the command failed" : r.error());
        throw switch (r.status()) {
            case 400 -> ApiError.badRequest(detail);
            case 404 -> ApiError.notFound(detail);
            case 422 -> ApiError.unprocessable(detail);
            case 503 -> ApiError.unavailable(detail);
            default -> ApiError.conflict(detail);
        };
    }
}
