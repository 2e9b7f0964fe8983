package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * What the UV Suite launcher leaves in {@code $CLAUDE_PROJECT_DIR/.uv-suite-state}: the
 * current session pointer and one metadata file per session. Read the way the bash hooks
 * read them; a missing or unreadable file is "not there", never an error.
 */
final class ProjectState {
    private ProjectState() {}

    /** {@code $UVS_SESSION_ID}, else the content of {@code current-session.txt}; "" when neither. */
    static String sessionId(HookEnv env, HookLog log) {
        if (!env.sessionIdEnv().isEmpty()) return env.sessionIdEnv();
        var pointer = env.stateDir().resolve("current-session.txt");
        if (!Files.isRegularFile(pointer)) return "";
        try {
            // $(cat file) drops trailing newlines; we also drop a CR left by a Windows editor
            var sid = Files.readString(pointer, UTF_8);
            int end = sid.length();
            while (end > 0 && (sid.charAt(end - 1) == '\n' || sid.charAt(end - 1) == '\r')) end--;
            return sid.substring(0, end);
        } catch (IOException e) {
            log.warn("cannot read " + pointer + ": " + e.getMessage());
            return "";
        }
    }

    /**
     * The top-level members of {@code sessions/<sid>.json}: empty when there is no such file,
     * an empty map when it exists but is not a JSON object (jq then finds no fields either).
     * A session id that could leave the folder ({@code /}, {@code ..}) reads nothing.
     */
    static Optional<Map<String, String>> metadata(HookEnv env, String sid, HookLog log) {
        if (sid.isEmpty() || !safeFileName(sid)) return Optional.empty();
        var file = env.stateDir().resolve("sessions").resolve(sid + ".json");
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            var text = Files.readString(file, UTF_8);
            var members = MiniJson.members(text);
            if (members.isEmpty() && !text.isBlank()) log.warn("metadata is not a JSON object: " + file);
            return Optional.of(members.orElse(Map.of()));
        } catch (IOException e) {
            log.warn("cannot read " + file + ": " + e.getMessage());
            return Optional.of(Map.of());
        }
    }

    static boolean safeFileName(String sid) {
        return !sid.contains("/") && !sid.contains("\\") && !sid.contains("..") && sid.indexOf('\0') < 0
                && sid.length() <= 200;
    }
}
