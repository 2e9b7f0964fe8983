package watchtower.ctl;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `wtctl fork ID`: a new agent in the parent's folder, with its persona. */
@Command(name = "fork", mixinStandardHelpOptions = true,
        header = "Start a new session in a session's folder, with its persona.",
        footer = {"", "Examples:", "  wtctl fork 3f2a", "  wtctl attach $(wtctl fork 3f2a --json | jq -r .id)"})
final class ForkCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The session to fork, or a unique prefix of its id")
    SessionId id;

    @Override
    public Integer call() {
        var client = api.client();
        var parent = SessionRef.resolve(client, id).id();
        var json = client.post("/sessions/" + parent + "/fork", Map.of());
        if (api.json()) {
            api.out().println(json.strip());
        } else {
            var child = MiniJson.parseObject(json);
            var childId = Format.clean(MiniJson.text(child, "id"));
            api.out().println("forked " + parent + " as " + childId
                    + tmux(MiniJson.text(child, "tmux_target")));
            api.out().println("attach: wtctl attach " + childId);
        }
        api.out().flush();
        return CtlError.OK;
    }

    static String tmux(String target) {
        return target == null ? "" : " (tmux " + Format.clean(target) + ")";
    }
}
