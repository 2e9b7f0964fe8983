package watchtower.ctl;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import watchtower.control.ControlOptions;
import watchtower.control.LocalMachine;

/**
 * `wtctl agent`: runs on a machine whose sessions post to a Watchtower elsewhere, and carries
 * that server's control actions (keys, close, fork, approvals by keystroke) to this machine's
 * tmux. It only connects out (AgentLoop), so the machine needs no open port.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        header = "Carry Watchtower's control actions to the sessions on this machine.",
        description = {"Polls the server for commands with this machine's token, runs them on this",
                "machine's tmux (socket uvs, or $WATCHTOWER_TMUX_SOCKET) and posts the results.",
                "Only outbound connections: the machine needs no open port. Retries while the",
                "server is down; Ctrl-C stops it. One log line per command."},
        footer = {"", "Examples:", "  UVS_TOKEN=<machine token> wtctl agent --url http://watchtower.lan:4200",
                "  wtctl agent --url http://10.0.0.5:4200 --token <machine token>"})
final class MachineAgentCommand implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Mixin
    ApiOptions api;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = {"This machine's token (default: $UVS_TOKEN), as POST /machines", "returned it"})
    String token;

    @Override
    public Integer call() throws InterruptedException {
        var env = api.env();
        var machineToken = token != null && !token.isBlank() ? token.trim() : env.var("UVS_TOKEN").orElse(null);
        if (machineToken == null) {
            throw CtlError.failed("no machine token", "pass --token or set UVS_TOKEN to the token POST /machines "
                    + "returned for this machine");
        }
        var base = api.baseUrl();
        var out = api.out();
        var loop = new AgentLoop(base, machineToken, LocalMachine.create(ControlOptions.fromEnvironment(), base, machineToken),
                line -> {
                    synchronized (out) {
                        out.println(LocalTime.now().format(CLOCK) + " " + line);
                        out.flush();
                    }
                });
        var main = Thread.currentThread();
        var hook = new Thread(() -> {
            loop.stop();
            try {
                if (!loop.awaitFinished(Duration.ofSeconds(5))) main.interrupt();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wtctl-agent-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        loop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Ctrl-C: shutting down already, and the hook is what stopped us
        }
        return loop.outcome() == AgentLoop.Outcome.REFUSED ? CtlError.REFUSED : CtlError.OK;
    }
}
