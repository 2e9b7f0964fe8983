package watchtower.ctl;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `wtctl compact ID`: types /compact into the session's agent. */
@Command(name = "compact", mixinStandardHelpOptions = true,
        header = "Send /compact to a session Watchtower runs in tmux.",
        footer = {"", "Example:", "  wtctl compact 3f2a"})
final class CompactCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The session id, or a unique prefix of it")
    SessionId id;

    @Override
    public Integer call() {
        var client = api.client();
        var session = SessionRef.resolve(client, id).id();
        var json = client.post("/sessions/" + session + "/compact", Map.of());
        api.out().println(api.json() ? json.strip() : "sent /compact to " + session);
        api.out().flush();
        return CtlError.OK;
    }
}
