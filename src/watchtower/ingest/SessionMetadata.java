package watchtower.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import watchtower.http.Json;

/**
 * The launcher's metadata for a session, {@code <project>/.uv-suite-state/sessions/<id>.json}
 * (name, kind, purpose, priority, persona, git_*), which the bash hooks merged into every
 * event. Looked up from the event's cwd upwards (a `cd` moves the cwd below the project), and
 * cached by file and modification time so a busy session does not re-read it per event.
 */
public final class SessionMetadata {
    private static final int MAX_LEVELS = 8;
    private static final int MAX_CACHED = 512;

    private record Cached(long modified, JsonNode meta) {}

    private final Map<Path, Cached> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Cached> eldest) {
            return size() > MAX_CACHED;
        }
    };

    public synchronized Optional<JsonNode> lookup(String cwd, String sessionId) {
        if (cwd == null || cwd.isBlank()) return Optional.empty();
        Path dir;
        try {
            dir = Path.of(cwd);
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!dir.isAbsolute()) return Optional.empty();
        for (int i = 0; dir != null && i < MAX_LEVELS; i++, dir = dir.getParent()) {
            var file = dir.resolve(".uv-suite-state").resolve("sessions").resolve(sessionId + ".json");
            var meta = read(file);
            if (meta.isPresent()) return meta;
        }
        return Optional.empty();
    }

    private Optional<JsonNode> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) return Optional.empty();
            long modified = Files.getLastModifiedTime(file).toMillis();
            var hit = cache.get(file);
            if (hit != null && hit.modified() == modified) return Optional.of(hit.meta());
            if (Files.size(file) > 64 * 1024) return Optional.empty();
            var meta = Json.MAPPER.readTree(file.toFile());
            if (meta == null || !meta.isObject()) return Optional.empty();
            cache.put(file, new Cached(modified, meta));
            return Optional.of(meta);
        } catch (IOException e) {
            return Optional.empty(); // unreadable or half-written: the event goes in without it
        }
    }
}
