package watchtower.ctl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `wtctl events ID`: a session's latest events, oldest first; with -f it then follows the live
 * stream for that session. The stream is opened before the history is read, so no event falls
 * between the two, and events already printed are not printed twice.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        header = "Show a session's latest events; -f keeps following them live.",
        description = {"Prints the last N events, oldest first. With --json the server's list is printed",
                "unchanged (newest first) and, with -f, each live message as one JSON line."},
        footer = {"", "Examples:", "  wtctl events 3f2a", "  wtctl events 3f2a -n 100", "  wtctl events 3f2a -f"})
final class EventsCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The session id, or a unique prefix of it")
    SessionId id;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20",
            description = "How many events (1-1000, default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = {"-f", "--follow"}, description = "Keep printing the session's events as they happen (Ctrl-C stops)")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        if (limit < 1 || limit > 1000) throw new ParameterException(spec.commandLine(), "-n must be between 1 and 1000");
        var client = api.client();
        var session = SessionRef.resolve(client, id).id();
        var out = api.out();
        var line = new LiveLine(api.palette(), false, true);
        try (var feed = follow ? LiveFeed.connect(client) : null) {
            // the first message is the snapshot: once it is here, every later event reaches us
            if (feed != null && feed.next().isEmpty()) throw CtlError.unreachable(feed.endReason(), null);
            var json = client.get(ApiClient.query("/sessions/" + session + "/events", "limit", limit));
            long lastId = 0;
            var events = new ArrayList<>(MiniJson.parseObjects(json));
            for (var e : events) lastId = Math.max(lastId, MiniJson.whole(e, "id"));
            if (api.json()) {
                out.println(json.strip());
            } else {
                Collections.reverse(events); // the server gives newest first
                for (var e : events) out.println(line.event(e));
                if (events.isEmpty() && !follow) api.err().println("No events yet.");
            }
            out.flush();
            if (feed == null) return CtlError.OK;
            api.err().println("following " + session + " (Ctrl-C to stop)");
            api.err().flush();
            while (true) {
                var next = feed.next();
                if (next.isEmpty()) throw CtlError.unreachable(feed.endReason(), null);
                var msg = MiniJson.parseObject(next.get());
                if (!session.equals(MiniJson.text(msg, "session_id"))) continue;
                if ("event".equals(MiniJson.text(msg, "type")) && MiniJson.whole(msg, "id") <= lastId) continue;
                if (api.json()) out.println(next.get());
                else line.format(msg).ifPresent(out::println);
                out.flush();
            }
        }
    }
}
