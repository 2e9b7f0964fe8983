package watchtower.ctl;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * `wtctl cleanup`: deletes every session. It always wants a yes: from a person at the terminal,
 * or --yes from a script; a script without --yes is refused (exit 2) rather than guessed at.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        header = "Delete ALL sessions with their events and approvals (asks first).",
        description = {"Stops the agents Watchtower runs in tmux first. Asks for confirmation; without a",
                "terminal, --yes is required. Checkpoint files on disk are kept."},
        footer = {"", "Examples:", "  wtctl cleanup", "  wtctl cleanup --yes"})
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Option(names = {"-y", "--yes"}, description = "Do not ask")
    boolean yes;

    @Override
    public Integer call() {
        var env = api.env();
        if (!yes && !env.interactive()) {
            throw new ParameterException(spec.commandLine(),
                    "cleanup deletes every session; there is no terminal to ask on, so pass --yes to confirm");
        }
        var client = api.client();
        if (!yes) {
            int count = MiniJson.parseObjects(client.get("/sessions?limit=1000")).size();
            var how = count >= 1000 ? "at least 1000" : Integer.toString(count);
            if (!Confirm.ask(env, api.err(), "Delete all " + how + " sessions with their events and approvals, "
                    + "and stop the agents Watchtower runs in tmux?")) {
                throw Confirm.cancelled();
            }
        }
        var json = client.post("/sessions/cleanup", Map.of());
        api.out().println(api.json() ? json.strip()
                : "deleted " + MiniJson.whole(MiniJson.parseObject(json), "deleted") + " sessions");
        api.out().flush();
        return CtlError.OK;
    }
}
