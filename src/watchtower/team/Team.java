package watchtower.team;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import watchtower.agent.AgentRegistry;
import watchtower.approvals.ApprovalsApi;
import watchtower.approvals.HeldHooks;
import watchtower.core.DbTarget;
import watchtower.http.Json;

/**
 * Team mode as the server sees it: on PostgreSQL, committed live messages also go to the other
 * instances and theirs come to our clients, and a decision this instance cannot deliver itself
 * is offered to the instance holding the hook. On SQLite (one instance) all of it is a no-op.
 */
public final class Team implements AutoCloseable {
    /** How long a decider waits for another instance to say it answered the held hook. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

    private final DbTarget target;
    private volatile TeamRelay relay;

    public Team(DbTarget target) {
        this.target = target;
    }

    public boolean enabled() {
        return target instanceof DbTarget.Postgres;
    }

    /** What the store calls after each commit: our clients first, then the other instances. */
    public Consumer<Object> broadcaster(Consumer<Object> local) {
        return message -> {
            local.accept(message);
            var r = relay;
            if (r != null) r.publish(Json.write(message));
        };
    }

    /**
     * Starts listening to the other instances (PostgreSQL only): their live messages go to
     * {@code local}, their decisions to our held hooks, their commands to agents polling us; and
     * our commands for agents polling them go through them.
     */
    public void start(HeldHooks held, AgentRegistry agents, Consumer<Object> local) {
        if (!(target instanceof DbTarget.Postgres pg)) return;
        relay = TeamRelay.start(pg, new TeamRelay.Receiver() {
            @Override
            public void liveMessage(String json) {
                try {
                    local.accept(Json.MAPPER.readTree(json));
                } catch (IOException e) {
                    System.getLogger("watchtower.team").log(System.Logger.Level.WARNING, "unreadable relayed message: " + e);
                }
            }

            @Override
            public boolean decide(long approvalId, boolean approve, String message) {
                return held.decide(approvalId, approve, message);
            }

            @Override
            public boolean polling(String machine) {
                return agents.polling(machine);
            }

            @Override
            public AgentRegistry.Result callAgent(String machine, ObjectNode command, Duration timeout) {
                return agents.call(machine, command, timeout);
            }

            @Override
            public java.util.List<String> agentsHere() {
                return agents.onlineMachines();
            }
        });
        agents.reachOthersThrough(relay::callElsewhere);
    }

    /** Our held hook first, then another instance's, then {@code local}'s fallback (keystrokes). */
    public ApprovalsApi.Decider decider(HeldHooks held, ApprovalsApi.Decider local) {
        return (approvalId, sessionId, approve, message) -> {
            var r = relay;
            if (r == null) return local.actuate(approvalId, sessionId, approve, message);
            if (held.decide(approvalId, approve, message)) return true;
            if (r.decideElsewhere(approvalId, approve, message, ANSWER_WAIT)) return true;
            return local.actuate(approvalId, sessionId, approve, message);
        };
    }

    /** Whether a machine's agent polls this instance or, in team mode, another one. */
    public java.util.function.Predicate<String> agentOnline(AgentRegistry agents) {
        return machine -> {
            if (agents.online(machine)) return true;
            var r = relay;
            return r != null && r.agentOnlineElsewhere(machine);
        };
    }

    @Override
    public void close() {
        var r = relay;
        if (r != null) r.close();
    }
}
