package watchtower.control;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import watchtower.http.ApiError;
import watchtower.store.Store;

/**
 * Writes a session's checkpoint from what the database holds (its last 200 events) and the
 * git state of its cwd, so no live session is needed: the file is
 * {@code <cwd>/uv-out/sessions/<id>/checkpoints/manual-YYYY-MM-DD-HHMM.md} (UTC minute, as the
 * reference; a second checkpoint in the same minute replaces the first) plus {@code latest.md}.
 * Nothing is written outside {@code <cwd>/uv-out/sessions/<id>/}.
 */
public final class Checkpoints {
    private static final int EVENTS = 200;
    private static final DateTimeFormatter FILE_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm");
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private final Store store;

    public Checkpoints(Store store) {
        this.store = store;
    }

    /** Writes the checkpoint and returns the path of the dated file; 409 when the cwd cannot take it. */
    public Path write(Map<String, Object> session) {
        var id = (String) session.get("id");
        var root = ProjectDir.root((String) session.get("cwd"), "write a checkpoint");
        var dir = ProjectDir.ensureDir(root, "write a checkpoint", "uv-out", "sessions", id, "checkpoints");
        var events = store.events().forSession(id, EVENTS, Long.MAX_VALUE);
        var now = ZonedDateTime.now(ZoneOffset.UTC);
        var content = CheckpointText.render(session, events, GitState.markdown(root), CREATED.format(now));
        var name = "manual-" + FILE_MINUTE.format(now) + ".md";
        try {
            ProjectDir.write(dir, name, content);
            ProjectDir.write(dir, "latest.md", content);
        } catch (IOException e) {
            throw ApiError.conflict("cannot write the checkpoint under the session cwd (" + e.getClass().getSimpleName() + ")");
        }
        return Path.of((String) session.get("cwd")).resolve("uv-out").resolve("sessions").resolve(id)
                .resolve("checkpoints").resolve(name).normalize();
    }
}
