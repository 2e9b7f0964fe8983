package watchtower.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The wtctl command. Subcommands are listed once, here; each is a small class in this package.
 * Exit codes: 0 ok, 1 the server (or local setup) refused, 2 usage, 3 server unreachable.
 */
@Command(name = "wtctl", mixinStandardHelpOptions = true, version = "wtctl 0.1.0",
        header = "Watchtower from the command line: watch, approve and steer your agent sessions.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                StatusCommand.class, ShowCommand.class, EventsCommand.class, TailCommand.class,
                ApprovalsCommand.class, ApproveCommand.class, DenyCommand.class,
                CheckpointCommand.class, CloseCommand.class, CompactCommand.class, ForkCommand.class,
                RmCommand.class, CleanupCommand.class, SpawnCommand.class, InputCommand.class, AttachCommand.class,
                SettingsCommand.class, HooksCommand.class, OpenCommand.class, DoctorCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  wtctl ls                      sessions that are not terminated",
                "  wtctl approvals               what is waiting for a person",
                "  wtctl approve 12              answer approval 12 with yes",
                "  wtctl approve --session 3f2a  answer that session's pending prompt",
                "  wtctl tail                    every event, live",
                "  wtctl doctor                  check the setup, with fixes",
                "",
                "Session ids may be shortened to any unique prefix (as `wtctl ls` shows them).",
                "Exit codes: 0 ok, 1 refused by the server, 2 usage, 3 server unreachable.",
                "Environment: UVS_WATCHTOWER_URL (server), UVS_HOME (token folder, default ~/.uvs), NO_COLOR."})
public final class Root implements Callable<Integer> {
    private final CtlEnv env;

    @Mixin
    ApiOptions options;

    @Spec
    CommandSpec spec;

    public Root(CtlEnv env) {
        this.env = env;
    }

    /** wtctl as run from a shell: this process's environment. */
    public static CommandLine commandLine() {
        return commandLine(CtlEnv.system());
    }

    /** wtctl against a given environment; tests pass a temp one and set out/err on the result. */
    public static CommandLine commandLine(CtlEnv env) {
        var handler = new ErrorHandler();
        return new CommandLine(new Root(env))
                .registerConverter(SessionId.class, SessionId::parse)
                .registerConverter(ApprovalId.class, ApprovalId::parse)
                .setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler);
    }

    public CtlEnv env() {
        return env;
    }

    static Root of(CommandSpec anyCommand) {
        return (Root) anyCommand.root().userObject();
    }

    @Override
    public Integer call() {
        // no subcommand: a usage mistake, as in picocli's Git example
        var err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        err.flush();
        return CtlError.USAGE;
    }
}
