package watchtower.ctl;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The wtctl command. Subcommands are listed once, here (COMMANDS); each is a small class in this
 * package. Exit codes: 0 ok, 1 the server (or local setup) refused, 2 usage, 3 server unreachable.
 */
@Command(name = "wtctl", mixinStandardHelpOptions = true, version = "wtctl 0.1.0",
        header = "Watchtower from the command line: watch, approve and steer your agent sessions.",
        synopsisSubcommandLabel = "COMMAND",
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
                "Environment: UVS_WATCHTOWER_URL (server), UVS_HOME (holds the token; ~/.uvs),",
                "NO_COLOR (no colour)."})
public final class Root implements Callable<Integer> {
    /** Every subcommand, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            StatusCommand.class, ShowCommand.class, EventsCommand.class, TailCommand.class,
            ApprovalsCommand.class, ApproveCommand.class, DenyCommand.class,
            CheckpointCommand.class, CloseCommand.class, CompactCommand.class, ForkCommand.class,
            RmCommand.class, CleanupCommand.class, SpawnCommand.class, InputCommand.class, AttachCommand.class, LaunchCommand.class,
            SettingsCommand.class, MachineCommand.class, HooksCommand.class, OpenCommand.class, DoctorCommand.class, CompletionCommand.class,
            MachineAgentCommand.class,
            CommandLine.HelpCommand.class);

    private final CtlEnv env;

    @Mixin
    ApiOptions options;

    @Spec
    CommandSpec spec;

    public Root(CtlEnv env) {
        this.env = env;
    }

    /** wtctl as run from a shell: this process's environment, building only the command {@code args} name. */
    public static CommandLine commandLine(String[] args) {
        return commandLine(CtlEnv.system(), args);
    }

    /** wtctl with every subcommand, against a given environment; tests set out/err on the result. */
    public static CommandLine commandLine(CtlEnv env) {
        return build(env, COMMANDS);
    }

    /**
     * wtctl with only the subcommand {@code args} name, when they name one. picocli reads every
     * command's options by reflection, and doing that for all of them was about half of a
     * `wtctl ls` start (measured); help, completion and mistakes still get the whole tree.
     */
    public static CommandLine commandLine(CtlEnv env, String[] args) {
        return named(args).map(c -> build(env, List.<Class<?>>of(c))).orElseGet(() -> build(env, COMMANDS));
    }

    private static CommandLine build(CtlEnv env, List<Class<?>> commands) {
        var handler = new ErrorHandler();
        var cl = new CommandLine(new Root(env));
        for (var c : commands) cl.addSubcommand(c);
        // converters and handlers reach the subcommands present when they are set: set them last
        return cl.registerConverter(SessionId.class, SessionId::parse)
                .registerConverter(ApprovalId.class, ApprovalId::parse)
                .setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler);
    }

    /** The subcommand the first word names, skipping root options; empty for help, completion or none. */
    static Optional<Class<?>> named(String[] args) {
        for (int i = 0; i < args.length; i++) {
            var a = args[i];
            if (a.equals("--url")) {
                i++; // its value
            } else if (a.equals("--json") || a.startsWith("--url=")) {
                continue;
            } else if (a.startsWith("-")) {
                return Optional.empty(); // --help, --version, or a mistake: picocli explains it with every command
            } else {
                if (a.equals("help") || a.equals("completion")) return Optional.empty();
                for (var c : COMMANDS) {
                    var command = c.getAnnotation(Command.class);
                    if (a.equals(command.name()) || List.of(command.aliases()).contains(a)) return Optional.of(c);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
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
