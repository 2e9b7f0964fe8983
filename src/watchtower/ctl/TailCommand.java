package watchtower.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `wtctl tail`: every session's events, approvals and state changes, one line each, as they happen. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        header = "Follow every session live: one line per event, approval or state change.",
        description = {"Runs until Ctrl-C, or until the server goes away (exit 3). Colour only on a terminal",
                "(NO_COLOR turns it off). With --json each live message is printed as one JSON line."},
        footer = {"", "Examples:", "  wtctl tail", "  wtctl tail --json | jq -c 'select(.type == \"approval\")'"})
final class TailCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Override
    public Integer call() throws InterruptedException {
        var client = api.client();
        var out = api.out();
        var line = new LiveLine(api.palette(), true, false);
        try (var feed = LiveFeed.connect(client)) {
            boolean subscribed = false;
            while (true) {
                var next = feed.next();
                if (next.isEmpty()) throw CtlError.unreachable(feed.endReason(), null);
                if (!subscribed) {
                    // the first message is the snapshot of every session: from here on nothing is missed
                    subscribed = true;
                    api.err().println("following " + client.base() + " (Ctrl-C to stop)");
                    api.err().flush();
                    continue;
                }
                if (api.json()) out.println(next.get());
                else line.format(MiniJson.parseObject(next.get())).ifPresent(out::println);
                out.flush();
            }
        }
    }
}
