package watchtower.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import watchtower.http.ApiError;

/**
 * Signals the process of a session that is not in our tmux, and only a process we can tie to
 * that session: a pid above 1, alive, owned by our own user, whose environment holds
 * {@code UVS_SESSION_ID=<id>} (what the launcher exports) or whose command line names the id.
 * Anything else is refused with a 409 that says why. Termination is SIGTERM, then SIGKILL
 * if the process is still alive after the grace period.
 */
public final class Processes {
    /** Shorter ids are too easy to find in an unrelated command line by chance. */
    private static final int MIN_ID_IN_COMMAND_LINE = 8;

    private final Duration grace;

    public Processes(Duration grace) {
        this.grace = grace;
    }

    /**
     * The live process {@code pid} if it belongs to session {@code sessionId}; empty when no such
     * process runs any more. Throws a 409 for a pid that cannot be tied to the session.
     */
    public Optional<ProcessHandle> verify(long pid, String sessionId) {
        if (pid <= 1) throw ApiError.conflict("refusing to signal pid " + pid + ": only a pid above 1 can belong to a session");
        if (pid == ProcessHandle.current().pid()) throw ApiError.conflict("refusing to signal pid " + pid + ": that is Watchtower itself");
        var handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) return Optional.empty();
        if (!sameUser(handle.get())) {
            throw ApiError.conflict("refusing to signal pid " + pid + ": it belongs to another user");
        }
        if (!belongsTo(handle.get(), sessionId)) {
            throw ApiError.conflict("refusing to signal pid " + pid + ": it is not session " + sessionId
                    + "'s process (no UVS_SESSION_ID=" + sessionId + " in its environment, id not in its command line)");
        }
        return handle;
    }

    /** SIGTERM now; SIGKILL after the grace period if it is still running. Returns at once. */
    public void terminate(ProcessHandle process) {
        // ProcessHandle remembers the start time, so a recycled pid is never signalled
        if (!process.destroy()) return;
        process.onExit().completeOnTimeout(null, grace.toMillis(), TimeUnit.MILLISECONDS).thenRun(() -> {
            if (process.isAlive()) process.destroyForcibly();
        });
    }

    private static boolean sameUser(ProcessHandle process) {
        var proc = Path.of("/proc", Long.toString(process.pid()));
        if (Files.isDirectory(proc)) {
            try {
                return Files.getAttribute(proc, "unix:uid").equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return false;
            }
        }
        var theirs = process.info().user();
        return theirs.isPresent() && theirs.equals(ProcessHandle.current().info().user());
    }

    static boolean belongsTo(ProcessHandle process, String sessionId) {
        var proc = Path.of("/proc", Long.toString(process.pid()));
        if (nulSeparated(proc.resolve("environ")).contains("UVS_SESSION_ID=" + sessionId)) return true;
        if (sessionId.length() < MIN_ID_IN_COMMAND_LINE) return false;
        var args = nulSeparated(proc.resolve("cmdline"));
        if (args.isEmpty()) {
            var info = process.info();
            args = info.arguments().map(List::of).orElse(List.of());
            if (info.command().isPresent()) args = concat(info.command().get(), args);
        }
        return args.stream().anyMatch(a -> namesId(a, sessionId) || namesId(a, "uvs_" + sessionId));
    }

    /** The id as a whole token: not part of a longer id ("abc" is not named by "xabcx"). */
    static boolean namesId(String arg, String id) {
        for (int at = arg.indexOf(id); at >= 0; at = arg.indexOf(id, at + 1)) {
            boolean startOk = at == 0 || !isIdChar(arg.charAt(at - 1));
            int end = at + id.length();
            boolean endOk = end == arg.length() || !isIdChar(arg.charAt(end));
            if (startOk && endOk) return true;
        }
        return false;
    }

    private static boolean isIdChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-';
    }

    private static List<String> nulSeparated(Path file) {
        try {
            var text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\0"));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        var all = new java.util.ArrayList<String>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
