package watchtower.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The wtctl command: subcommands are listed once, here. */
@Command(name = "wtctl", mixinStandardHelpOptions = true, version = "wtctl 0.1.0",
        description = "Watchtower from the command line.")
public final class Root implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        return new CommandLine(new Root());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
