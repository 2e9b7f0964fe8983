package watchtower.ctl;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `wtctl close ID`: checkpoint, then stop the agent; the session stays listed as terminated. */
@Command(name = "close", mixinStandardHelpOptions = true,
        header = "Checkpoint a session, then stop its agent (the record is kept).",
        description = {"Stops the tmux session Watchtower started, or sends SIGTERM to the agent's verified",
                "process. Use `wtctl rm` to also delete the record."},
        footer = {"", "Example:", "  wtctl close 3f2a"})
final class CloseCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The session id, or a unique prefix of it")
    SessionId id;

    @Override
    public Integer call() {
        var client = api.client();
        var session = SessionRef.resolve(client, id).id();
        var json = client.post("/sessions/" + session + "/close", Map.of());
        if (api.json()) {
            api.out().println(json.strip());
        } else {
            var reply = MiniJson.parseObject(json);
            var via = MiniJson.text(reply, "terminated_via");
            var checkpoint = MiniJson.text(reply, "checkpoint");
            api.out().println("closed " + session + (via == null ? " (no process to stop)" : " (stopped via " + Format.clean(via) + ")"));
            if (checkpoint != null) api.out().println("checkpoint: " + Format.clean(checkpoint));
            var failed = MiniJson.text(reply, "checkpoint_error");
            if (failed != null) api.err().println("note: no checkpoint was written: " + Format.clean(failed));
        }
        api.out().flush();
        return CtlError.OK;
    }
}
