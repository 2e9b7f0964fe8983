package watchtower.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `wtctl deny 12 -m "use the test database"`: refuses the tool call, optionally telling the agent why. */
@Command(name = "deny", mixinStandardHelpOptions = true,
        header = "Deny a pending permission prompt, optionally telling the agent why.",
        footer = {"", "Examples:", "  wtctl deny 12", "  wtctl deny 12 --message \"not on main; use a branch\"",
                "  wtctl deny --session 3f2a"})
final class DenyCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The approval id (see `wtctl approvals`)")
    ApprovalId id;

    @Option(names = {"-s", "--session"}, paramLabel = "SESSION", description = "Deny this session's pending prompt")
    SessionId session;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Why, for the agent to read")
    String message;

    @Override
    public Integer call() {
        return Decision.decide(api, spec, id, session, false, message);
    }
}
