package watchtower.control;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import watchtower.http.ApiError;
import watchtower.http.Json;

/**
 * Starts an agent (spawn and fork) in a new tmux session {@code uvs_<id>} on our socket, in the
 * session's cwd, with {@code UVS_SESSION_ID}, {@code UVS_IN_TMUX} and {@code UVS_WATCHTOWER_URL}
 * set for it, from an argument list. Before it starts, the launcher's metadata file
 * {@code <cwd>/.uv-suite-state/sessions/<id>.json} is written (as the reference fork does), so
 * the agent's hooks attribute their events to this session with its name, persona and parent.
 */
public final class Spawner {
    private static final System.Logger LOG = System.getLogger("watchtower.control");

    /** What to start; {@code name} and {@code parentId} may be null. {@code cwd} is a real, existing directory. */
    public record Launch(String tool, String persona, Path cwd, String task, String name, String parentId) {}

    private final Tmux tmux;
    private final ControlOptions options;
    private final String serverUrl;
    private final String token;

    public Spawner(Tmux tmux, ControlOptions options, String serverUrl, String token) {
        this.tmux = tmux;
        this.options = options;
        this.serverUrl = serverUrl;
        this.token = token;
    }

    /** Starts the agent as session {@code id}; returns its tmux session name. 400 when it cannot start. */
    public String start(String id, Launch launch) {
        var target = Tmux.sessionName(id).orElseThrow(() -> new IllegalArgumentException("not a tmux-able id: " + id));
        var program = options.program(launch.tool()).orElseThrow(() -> ApiError.badRequest(launch.tool()
                + " not found on PATH (or set WATCHTOWER_" + launch.tool().toUpperCase(java.util.Locale.ROOT) + "_BIN); cannot start a session"));
        if (!tmux.installed()) throw ApiError.badRequest("tmux not available; cannot start a session");
        var argv = AgentCommand.argv(launch.tool(), program, launch.persona(), launch.cwd(), launch.task());
        writeMetadata(id, launch);
        var env = new LinkedHashMap<String, String>();
        env.put("UVS_SESSION_ID", id);
        env.put("UVS_IN_TMUX", "1"); // the reference launcher's guard against wrapping itself in tmux again
        env.put("UVS_WATCHTOWER_URL", serverUrl);
        // the personas' http hooks send $UVS_TOKEN: without it, once hooks use the token, ours would be refused
        var result = tmux.start(id, launch.cwd(), env, token == null ? Map.of() : Map.of("UVS_TOKEN", token), argv);
        if (!result.ok()) {
            throw ApiError.badRequest("tmux new-session failed: " + clip(result.output().strip()));
        }
        return target;
    }

    /** Best effort, as the reference: without the file the hooks still tag events by UVS_SESSION_ID. */
    private void writeMetadata(String id, Launch launch) {
        var meta = new LinkedHashMap<String, Object>();
        meta.put("uvs_session_id", id);
        if (launch.name() != null) meta.put("name", launch.name());
        meta.put("persona", launch.persona());
        if (launch.parentId() != null) meta.put("parent_id", launch.parentId());
        meta.put("cwd", launch.cwd().toString());
        meta.put("agent", launch.tool());
        try {
            var dir = ProjectDir.ensureDir(launch.cwd(), "write session metadata", ".uv-suite-state", "sessions");
            ProjectDir.write(dir, id + ".json", Json.write(meta));
        } catch (ApiError | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "session " + id + ": metadata file not written: " + e.getMessage());
        }
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
