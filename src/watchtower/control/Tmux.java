package watchtower.control;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import watchtower.http.Fields;

/**
 * Our tmux server: every call is {@code tmux -L <socket> ...} from an argument list. The only
 * sessions it addresses are {@code uvs_<id>} built from a validated session id, always with an
 * exact-match target ({@code =uvs_<id>}): without the '=' tmux falls back to prefix and pattern
 * matching, and {@code uvs_ab} would reach {@code uvs_abc}. Ids with a '.' are never tmux
 * sessions, because tmux renames '.' to '_' and {@code a.b} would collide with {@code a_b}.
 */
public final class Tmux {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String socket;

    public Tmux(String socket) {
        this.socket = socket;
    }

    public String socket() {
        return socket;
    }

    /** {@code uvs_<id>}, or empty for an id that cannot name a tmux session of ours. */
    public static Optional<String> sessionName(String sessionId) {
        if (!Fields.isSessionId(sessionId) || sessionId.contains(".")) return Optional.empty();
        return Optional.of("uvs_" + sessionId);
    }

    /** Whether {@code uvs_<id>} is live on our socket: what "owned by Watchtower" means. */
    public boolean has(String sessionId) {
        var name = sessionName(sessionId);
        return name.isPresent() && tmux("has-session", "-t", "=" + name.get()).ok();
    }

    /** Names of the live sessions on our socket (empty when the tmux server is not running). */
    public List<String> sessionNames() {
        var r = tmux("list-sessions", "-F", "#{session_name}");
        if (!r.ok()) return List.of();
        return r.output().lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Starts {@code argv} in a detached session {@code uvs_<id>} in {@code cwd}, with {@code env}
     * set for it. With a single argument tmux would hand the string to {@code sh -c}, so a lone
     * program is started through {@code env}, which keeps it an exec of an argument list.
     */
    public Subprocess.Result start(String sessionId, Path cwd, Map<String, String> env, List<String> argv) {
        return start(sessionId, cwd, env, Map.of(), argv);
    }

    /**
     * Like {@link #start(String, Path, Map, List)}, with {@code secretEnv} (the install token) passed
     * through tmux's own environment and update-environment: only the names are on a command line,
     * which any user may read in /proc, never the values.
     */
    public Subprocess.Result start(String sessionId, Path cwd, Map<String, String> env, Map<String, String> secretEnv,
                                   List<String> argv) {
        var name = sessionName(sessionId).orElseThrow(() -> new IllegalArgumentException("not a tmux-able id"));
        var cmd = new ArrayList<String>();
        if (!secretEnv.isEmpty()) {
            cmd.addAll(List.of("start-server", ";"));
            int slot = 90;
            for (var key : secretEnv.keySet()) cmd.addAll(List.of("set-option", "-g", "update-environment[" + slot++ + "]", key, ";"));
        }
        cmd.addAll(List.of("new-session", "-d", "-s", name, "-x", "200", "-y", "50", "-c", literal(cwd.toString())));
        env.forEach((k, v) -> {
            cmd.add("-e");
            cmd.add(literal(k + "=" + v));
        });
        cmd.add("--");
        if (argv.size() == 1) cmd.add("env");
        argv.forEach(a -> cmd.add(literal(a)));
        return tmux(secretEnv, cmd.toArray(String[]::new));
    }

    /**
     * tmux reads an argument ending in ';' as the end of a command, even after "--" (tmux 3.3a),
     * so a task or path ending in ';' would be cut there; "\;" keeps it a literal ';'.
     */
    static String literal(String arg) {
        return arg.endsWith(";") ? arg.substring(0, arg.length() - 1) + "\\;" : arg;
    }

    public boolean kill(String sessionId) {
        var name = sessionName(sessionId);
        return name.isPresent() && tmux("kill-session", "-t", "=" + name.get()).ok();
    }

    /** The visible text of the session's active pane, wrapped lines joined; empty if it is not there. */
    public Optional<String> capture(String sessionId) {
        var name = sessionName(sessionId);
        if (name.isEmpty()) return Optional.empty();
        var r = tmux("capture-pane", "-p", "-J", "-t", paneTarget(name.get()));
        return r.ok() ? Optional.of(r.output()) : Optional.empty();
    }

    /** Sends key names ({@code 1}, {@code Enter}, {@code Escape}) to the session's active pane. */
    public boolean sendKeys(String sessionId, String... keys) {
        var name = sessionName(sessionId);
        if (name.isEmpty()) return false;
        var cmd = new ArrayList<>(List.of("send-keys", "-t", paneTarget(name.get())));
        cmd.addAll(List.of(keys));
        return tmux(cmd.toArray(String[]::new)).ok();
    }

    /** Types {@code text} literally: no key names, and "--" so a leading '-' is text, not an option. */
    public boolean typeLiteral(String sessionId, String text) {
        var name = sessionName(sessionId);
        return name.isPresent() && tmux("send-keys", "-t", paneTarget(name.get()), "-l", "--", text).ok();
    }

    /** Whether the tmux program can be run at all. */
    public boolean installed() {
        var r = Subprocess.run(List.of("tmux", "-V"), TIMEOUT);
        return r.ok();
    }

    private static String paneTarget(String name) {
        return "=" + name + ":"; // the session's current window, its active pane
    }

    private Subprocess.Result tmux(String... args) {
        return tmux(Map.of(), args);
    }

    private Subprocess.Result tmux(Map<String, String> env, String... args) {
        var argv = new ArrayList<String>(args.length + 3);
        argv.add("tmux");
        argv.add("-L");
        argv.add(socket);
        argv.addAll(List.of(args));
        return Subprocess.run(argv, TIMEOUT, true, env);
    }
}
