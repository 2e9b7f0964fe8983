package watchtower.ctl;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `wtctl show ID`: one session's details, one field per line, empty fields left out. */
@Command(name = "show", mixinStandardHelpOptions = true,
        header = "Show one session: where it runs, its state, tokens and cost.",
        footer = {"", "Examples:", "  wtctl show 3f2a9c1e", "  wtctl show 3f2a --json | jq .cost_usd"})
final class ShowCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The session id, or a unique prefix of it")
    SessionId id;

    @Override
    public Integer call() {
        var client = api.client();
        var found = SessionRef.resolve(client, id);
        var out = api.out();
        if (api.json()) {
            out.println(found.json().strip());
            out.flush();
            return CtlError.OK;
        }
        var s = found.row();
        var now = Instant.now();
        field(out, "id", found.id());
        field(out, "name", MiniJson.text(s, "name"));
        var attention = MiniJson.text(s, "attention");
        field(out, "state", MiniJson.text(s, "state") + (attention == null ? "" : " (" + attention + ")"));
        var pending = StatusCommand.pendingApprovals(client).get(found.id());
        if (pending != null) field(out, "approval", pending + " pending (wtctl approve " + pending + ")");
        field(out, "agent", MiniJson.text(s, "agent"));
        field(out, "model", MiniJson.text(s, "model"));
        field(out, "persona", MiniJson.text(s, "persona"));
        field(out, "kind", MiniJson.text(s, "kind"));
        field(out, "purpose", MiniJson.text(s, "purpose"));
        field(out, "priority", MiniJson.text(s, "priority"));
        field(out, "cwd", MiniJson.text(s, "cwd"));
        field(out, "branch", MiniJson.text(s, "branch"));
        field(out, "worktree", MiniJson.text(s, "worktree"));
        field(out, "tmux", MiniJson.text(s, "tmux_target"));
        field(out, "pid", MiniJson.text(s, "pid"));
        field(out, "parent", MiniJson.text(s, "parent_id"));
        field(out, "started", since(MiniJson.text(s, "started_at"), now));
        field(out, "last event", since(MiniJson.text(s, "last_event_at"), now));
        var ended = MiniJson.text(s, "ended_at");
        if (ended != null) {
            var reason = MiniJson.text(s, "end_reason");
            field(out, "ended", since(ended, now) + (reason == null ? "" : " (" + reason + ")"));
        }
        field(out, "activity", MiniJson.whole(s, "tool_calls") + " tool calls, " + MiniJson.whole(s, "event_count") + " events");
        field(out, "tokens", tokens(s));
        field(out, "cost", Format.cost(s.get("cost_usd")) + (s.get("cost_usd") == null ? " (unknown: no price for this model)" : ""));
        out.flush();
        return CtlError.OK;
    }

    private static String tokens(Map<String, Object> s) {
        return MiniJson.whole(s, "input_tokens") + " in (" + MiniJson.whole(s, "fresh_input_tokens") + " fresh, "
                + MiniJson.whole(s, "cache_creation_tokens") + " cache write, "
                + MiniJson.whole(s, "cache_read_tokens") + " cache read), "
                + MiniJson.whole(s, "output_tokens") + " out";
    }

    private static String since(String apiTime, Instant now) {
        return apiTime == null ? null : apiTime + " UTC (" + Format.age(apiTime, now) + " ago)";
    }

    private static void field(java.io.PrintWriter out, String name, String value) {
        if (value == null || value.isEmpty()) return;
        out.printf("%-11s %s%n", name + ":", Format.clean(value));
    }
}
