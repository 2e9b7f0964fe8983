package watchtower.team;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import watchtower.agent.AgentRegistry;
import watchtower.approvals.ApprovalsApi;
import watchtower.approvals.HeldHooks;
import watchtower.core.DbTarget;
import watchtower.http.Json;

/**
 * Team mode as the server sees it: several instances on one PostgreSQL database, over
 * LISTEN/NOTIFY ({@link Notices}). What one commits reaches the others' live clients
 * ({@link LiveRelay}), a decision one cannot deliver is offered to the instance holding the hook
 * ({@link DecisionRelay}), and a command for an agent polling another instance goes there and
 * back ({@link AgentRelay}). On SQLite (one instance) all of it is a no-op.
 */
public final class Team implements AutoCloseable {
    /** How long a decider waits for another instance to say it answered the held hook. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

    private final DbTarget target;
    private volatile Notices notices;
    private volatile LiveRelay live;
    private volatile DecisionRelay decisions;
    private volatile AgentRelay agentRelay;

    public Team(DbTarget target) {
        this.target = target;
    }

    /**
     * What the store calls after each commit with its messages: our clients first, then the other
     * instances. In team mode each message is encoded once, for both.
     */
    public Consumer<List<Object>> broadcaster(Consumer<List<Object>> local, Consumer<List<String>> localJson) {
        return messages -> {
            var l = live;
            if (l == null) {
                local.accept(messages);
                return;
            }
            var jsons = messages.stream().map(Json::write).toList();
            localJson.accept(jsons);
            jsons.forEach(l::publish);
        };
    }

    /**
     * Starts listening to the other instances (PostgreSQL only): their live messages go to
     * {@code localJson} as they were encoded, their decisions to our held hooks, their commands to
     * agents polling us; and ours for agents polling them go through them.
     */
    public void start(HeldHooks held, AgentRegistry agents, Consumer<String> localJson) {
        if (!(target instanceof DbTarget.Postgres pg)) return;
        var n = new Notices(pg);
        var liveRelay = new LiveRelay(n, localJson);
        var decisionRelay = new DecisionRelay(n, held);
        var agentsRelay = new AgentRelay(n, agents);
        n.start();
        agents.reachOthersThrough(agentsRelay::callElsewhere);
        notices = n;
        live = liveRelay;
        decisions = decisionRelay;
        agentRelay = agentsRelay;
    }

    /** Our held hook first, then another instance's, then {@code local}'s fallback (keystrokes). */
    public ApprovalsApi.Decider decider(HeldHooks held, ApprovalsApi.Decider local) {
        return (approvalId, sessionId, approve, message) -> {
            var d = decisions;
            if (d == null) return local.actuate(approvalId, sessionId, approve, message);
            if (held.decide(approvalId, approve, message)) return true;
            if (d.decideElsewhere(approvalId, approve, message, ANSWER_WAIT)) return true;
            return local.actuate(approvalId, sessionId, approve, message);
        };
    }

    /** Whether a machine's agent polls this instance or, in team mode, another one. */
    public Predicate<String> agentOnline(AgentRegistry agents) {
        return machine -> {
            if (agents.online(machine)) return true;
            var a = agentRelay;
            return a != null && a.onlineElsewhere(machine);
        };
    }

    @Override
    public void close() {
        var a = agentRelay;
        if (a != null) a.close();
        var n = notices;
        if (n != null) n.close();
    }
}
