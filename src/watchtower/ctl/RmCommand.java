package watchtower.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `wtctl rm ID`: deletes a session's record (stopping its agent first if Watchtower runs it). */
@Command(name = "rm", mixinStandardHelpOptions = true,
        header = "Delete a session with its events and approvals (stops its tmux agent first).",
        description = {"Asks first when run at a terminal, unless --yes. Checkpoint files on disk are kept."},
        footer = {"", "Examples:", "  wtctl rm 3f2a", "  wtctl rm 3f2a --yes"})
final class RmCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The session id, or a unique prefix of it")
    SessionId id;

    @Option(names = {"-y", "--yes"}, description = "Do not ask")
    boolean yes;

    @Override
    public Integer call() {
        var client = api.client();
        var found = SessionRef.resolve(client, id);
        var env = api.env();
        if (env.interactive() && !yes) {
            var name = MiniJson.text(found.row(), "name");
            var label = found.id() + (name == null || name.isEmpty() ? "" : " (" + Format.clip(name, 40) + ")");
            if (!Confirm.ask(env, api.err(), "Delete session " + label + " and its events and approvals?")) {
                throw Confirm.cancelled();
            }
        }
        var json = client.delete("/sessions/" + found.id());
        api.out().println(api.json() ? json.strip() : "deleted " + found.id());
        api.out().flush();
        return CtlError.OK;
    }
}
