package watchtower.ctl;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * `wtctl attach ID`: puts this terminal inside the session's tmux (socket "uvs", session
 * uvs_<id>). The target comes from the server when it is up (so short ids work), else from the
 * id as typed; either way it must look like uvs_<id>, and "=" makes tmux match it exactly
 * rather than attaching to the first session whose name merely starts with it.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        header = "Attach this terminal to a session Watchtower runs in tmux.",
        description = {"Runs: tmux -L uvs attach -t uvs_<id> (the socket is $WATCHTOWER_TMUX_SOCKET when set).",
                "Detach again with Ctrl-b d."},
        footer = {"", "Example:", "  wtctl attach 3f2a"})
final class AttachCommand implements Callable<Integer> {
    private static final Pattern TARGET = Pattern.compile("uvs_[A-Za-z0-9._-]{1,128}");
    private static final Pattern SOCKET = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The session id, or (server running) a unique prefix of it")
    SessionId id;

    @Override
    public Integer call() {
        var tmux = api.env().which("tmux").orElseThrow(() -> CtlError.failed("tmux is not installed",
                "install it (apt install tmux, brew install tmux); Watchtower runs agents it starts in tmux"));
        // the server may run its agents on another socket (WATCHTOWER_TMUX_SOCKET), as in its tests
        var socket = api.env().var("WATCHTOWER_TMUX_SOCKET").orElse("uvs");
        if (!SOCKET.matcher(socket).matches()) {
            throw CtlError.failed("WATCHTOWER_TMUX_SOCKET must be 1-64 letters, digits, '_' or '-'", null);
        }
        var target = target();
        return Programs.inTerminal(List.of(tmux.toString(), "-L", socket, "attach", "-t", "=" + target));
    }

    private String target() {
        SessionRef.Found found;
        try {
            found = SessionRef.resolve(api.client(), id);
        } catch (CtlError e) {
            if (e.exitCode() != CtlError.UNREACHABLE) throw e;
            return "uvs_" + id.value(); // no server: tmux itself is still here
        }
        var target = MiniJson.text(found.row(), "tmux_target");
        if (target == null || target.isEmpty()) {
            throw CtlError.failed("session " + found.id() + " does not run in Watchtower's tmux",
                    "it was started outside Watchtower; switch to the terminal it runs in");
        }
        if (!TARGET.matcher(target).matches()) {
            throw CtlError.failed("the server gave an unexpected tmux target for " + found.id() + ": "
                    + Format.clip(target, 60), null);
        }
        return target;
    }
}
