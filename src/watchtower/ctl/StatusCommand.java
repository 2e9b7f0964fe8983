package watchtower.ctl;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `wtctl status` / `wtctl ls`: one row per session, newest activity first. */
@Command(name = "status", aliases = "ls", mixinStandardHelpOptions = true,
        header = "List sessions: state, age, tool calls, tokens, cost, pending approval.",
        description = {"Terminated sessions are left out unless --all is given. STATE shows why a person is",
                "needed in parentheses; COST is '?' when the model's price is unknown; APPROVAL is the",
                "pending approval's id, to pass to `wtctl approve`.",
                "With --json the server's list is printed unchanged (every state unless --state is given)."},
        footer = {"", "Examples:", "  wtctl ls", "  wtctl ls --all", "  wtctl ls --state awaiting_human",
                "  wtctl ls --json | jq -r '.[].id'"})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Option(names = {"-a", "--all"}, description = "Include terminated sessions")
    boolean all;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only sessions in STATE: active, idle, awaiting_human or terminated")
    String state;

    @Override
    public Integer call() {
        var client = api.client();
        var json = client.get(ApiClient.query("/sessions", "state", state, "limit", 1000));
        if (api.json()) {
            api.out().println(json.strip());
            api.out().flush();
            return CtlError.OK;
        }
        var sessions = MiniJson.parseObjects(json).stream()
                .filter(s -> all || state != null || !"terminated".equals(MiniJson.text(s, "state")))
                .toList();
        if (sessions.isEmpty()) {
            api.err().println(all || state != null ? "No sessions." : "No sessions running (--all shows terminated ones).");
            api.err().flush();
            return CtlError.OK;
        }
        var pending = pendingApprovals(client);
        render(sessions, pending, Instant.now()).print(api.out());
        return CtlError.OK;
    }

    /** session id → its pending approval's id. */
    static Map<String, String> pendingApprovals(ApiClient client) {
        var bySession = new HashMap<String, String>();
        for (var a : MiniJson.parseObjects(client.get("/approvals?status=pending"))) {
            var sid = MiniJson.text(a, "session_id");
            if (sid != null) bySession.putIfAbsent(sid, MiniJson.text(a, "id"));
        }
        return bySession;
    }

    static Table render(List<Map<String, Object>> sessions, Map<String, String> pending, Instant now) {
        var ids = sessions.stream().map(s -> String.valueOf(MiniJson.text(s, "id"))).toList();
        var shortIds = Format.shortIds(ids);
        var table = new Table("ID", "NAME", "STATE", "AGE", "TOOLS", "TOKENS", "COST", "APPROVAL").alignRight(3, 4, 5, 6);
        for (var s : sessions) {
            var id = String.valueOf(MiniJson.text(s, "id"));
            var state = String.valueOf(MiniJson.text(s, "state"));
            var attention = MiniJson.text(s, "attention");
            var name = MiniJson.text(s, "name");
            table.add(shortIds.get(id),
                    name == null || name.isEmpty() ? "-" : Format.clip(name, 32),
                    attention == null || attention.isEmpty() ? state : state + " (" + attention + ")",
                    Format.age(MiniJson.text(s, "started_at"), now),
                    Long.toString(MiniJson.whole(s, "tool_calls")),
                    Format.count(MiniJson.whole(s, "input_tokens") + MiniJson.whole(s, "output_tokens")),
                    Format.cost(s.get("cost_usd")),
                    pending.getOrDefault(id, "-"));
        }
        return table;
    }
}
