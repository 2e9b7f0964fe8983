package watchtower.hook;

import java.nio.file.Path;
import java.util.Map;

/**
 * The hook's environment, read once: where Watchtower listens, where our data folder is,
 * the UV Suite session and project, and the time budget. Names and defaults are the bash
 * hooks' ({@code UVS_WATCHTOWER_URL}, {@code UVS_SESSION_ID}, {@code CLAUDE_PROJECT_DIR}),
 * so one persona file works with either.
 *
 * @param tokenEnv     {@code UVS_TOKEN} (a machine token on a team member's machine), "" when unset:
 *                     then the token is read from {@code <uvsHome>/token}
 * @param sessionIdEnv {@code UVS_SESSION_ID}, "" when unset or empty
 * @param projectDir   {@code CLAUDE_PROJECT_DIR}, else "." (the hook's working folder)
 * @param deadlineMs   the whole run's budget; the watchdog stops the process after it
 */
public record HookEnv(String serverUrl, Path uvsHome, String tokenEnv, String sessionIdEnv, Path projectDir,
                      long deadlineMs, Path workDir) {

    public static final String DEFAULT_URL = "http://localhost:4200";
    public static final long DEFAULT_DEADLINE_MS = 1500;
    /** A person running {@code wthook flush} by hand can wait longer than Claude Code should. */
    public static final long FLUSH_DEADLINE_MS = 30_000;

    public static HookEnv from(Map<String, String> env, long defaultDeadlineMs) {
        var url = nonEmpty(env.get("UVS_WATCHTOWER_URL"), DEFAULT_URL);
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        var home = nonEmpty(env.get("HOME"), System.getProperty("user.home"));
        var uvsHome = Path.of(nonEmpty(env.get("UVS_HOME"), home + "/.uvs"));
        return new HookEnv(url, uvsHome,
                nonEmpty(env.get("UVS_TOKEN"), "").trim(),
                nonEmpty(env.get("UVS_SESSION_ID"), ""),
                Path.of(nonEmpty(env.get("CLAUDE_PROJECT_DIR"), ".")),
                deadline(env.get("WTHOOK_DEADLINE_MS"), defaultDeadlineMs),
                Path.of(System.getProperty("user.dir")));
    }

    public Path spoolDir() {
        return uvsHome.resolve("spool");
    }

    public Path logFile() {
        return uvsHome.resolve("wthook.log");
    }

    public Path secretFile() {
        return uvsHome.resolve("token");
    }

    public Path stateDir() {
        return projectDir.resolve(".uv-suite-state");
    }

    private static long deadline(String raw, long fallback) {
        if (raw == null || raw.isBlank()) return fallback;
        try {
            return Math.max(100, Math.min(600_000, Long.parseLong(raw.trim())));
        } catch (NumberFormatException e) {
            return fallback; // a typo in the persona must not make the hook misbehave
        }
    }

    // bash's ${VAR:-default}: an empty value counts as unset
    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
