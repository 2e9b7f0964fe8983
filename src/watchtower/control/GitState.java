package watchtower.control;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The git section of a checkpoint: branch, {@code status --short} and the last five commits,
 * each read with {@code git -C <cwd>} and a timeout; a failure reads as the reference's
 * placeholder. The repository is the client's, so its config must not run anything: the
 * fsmonitor hook is switched off and status takes no optional locks (it writes nothing).
 */
final class GitState {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Map<String, String> ENV = Map.of("GIT_OPTIONAL_LOCKS", "0", "GIT_TERMINAL_PROMPT", "0");

    private GitState() {}

    static String markdown(Path cwd) {
        var branch = orElse(git(cwd, "branch", "--show-current"), "(unknown)");
        var status = orElse(git(cwd, "status", "--short"), "(clean)");
        var log = orElse(git(cwd, "log", "--oneline", "-5"), "(no commits)");
        return "- Branch: `" + branch + "`\n\n"
                + "Working tree:\n```\n" + status + "\n```\n\n"
                + "Recent commits:\n```\n" + log + "\n```\n";
    }

    private static String git(Path cwd, String... args) {
        var argv = new ArrayList<>(List.of("git", "-c", "core.fsmonitor=false", "-C", cwd.toString()));
        argv.addAll(List.of(args));
        var r = Subprocess.run(argv, TIMEOUT, false, ENV);
        return r.ok() ? r.output().strip() : "";
    }

    private static String orElse(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }
}
