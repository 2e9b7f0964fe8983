package watchtower.ctl;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `wtctl checkpoint ID`: writes the session's checkpoint file now. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        header = "Write a checkpoint of a session (prompts, edited files, tools, git state).",
        description = "The file goes to <cwd>/uv-out/sessions/<id>/checkpoints/ in the session's folder.",
        footer = {"", "Example:", "  wtctl checkpoint 3f2a"})
final class CheckpointCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The session id, or a unique prefix of it")
    SessionId id;

    @Override
    public Integer call() {
        var client = api.client();
        var session = SessionRef.resolve(client, id).id();
        var json = client.post("/sessions/" + session + "/checkpoint", Map.of());
        if (api.json()) api.out().println(json.strip());
        else api.out().println("checkpoint written: " + Format.clean(MiniJson.text(MiniJson.parseObject(json), "path")));
        api.out().flush();
        return CtlError.OK;
    }
}
