package watchtower.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `wtctl approve 12`: lets the agent run the command it asked about. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        header = "Approve a pending permission prompt, by approval id or by session.",
        description = {"The agent then runs the tool call it asked about. An approval that is no longer",
                "pending (answered in the terminal, or already decided) is refused with exit 1."},
        footer = {"", "Examples:", "  wtctl approve 12", "  wtctl approve --session 3f2a"})
final class ApproveCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The approval id (see `wtctl approvals`)")
    ApprovalId id;

    @Option(names = {"-s", "--session"}, paramLabel = "SESSION", description = "Approve this session's pending prompt")
    SessionId session;

    @Override
    public Integer call() {
        return Decision.decide(api, spec, id, session, true, null);
    }
}
