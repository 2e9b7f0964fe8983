package watchtower.ctl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `wtctl input ID TEXT`: types a prompt into a session Watchtower runs in tmux. */
@Command(name = "input", mixinStandardHelpOptions = true,
        header = "Type a prompt into a session Watchtower runs in tmux.",
        description = "The words of TEXT are joined with spaces and sent, followed by Enter.",
        footer = {"", "Examples:", "  wtctl input 3f2a \"run the tests again\"", "  wtctl input 3f2a continue"})
final class InputCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Parameters(index = "0", paramLabel = "ID", description = "The session id, or a unique prefix of it")
    SessionId id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "What to type")
    List<String> words;

    @Override
    public Integer call() {
        var client = api.client();
        var session = SessionRef.resolve(client, id).id();
        var json = client.post("/sessions/" + session + "/input", Map.of("text", String.join(" ", words)));
        api.out().println(api.json() ? json.strip() : "sent to " + session);
        api.out().flush();
        return CtlError.OK;
    }
}
