package watchtower.compat;

import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * The request bodies the reference hooks build from a Claude Code payload, rebuilt here for
 * tests that talk to a server directly: watchtower-send.sh's splice (with a metadata file) and
 * watchtower-notify.sh's approval request.
 */
final class HookBodies {
    private HookBodies() {}

    /** What watchtower-send.sh posts to /events, less its {@code _hook_ts} (jq's now). */
    static ObjectNode spliced(ObjectNode input, String event, String sid, Map<String, Object> meta) {
        var out = input.deepCopy();
        var cwd = input.path("cwd").asText("");
        out.put("event_type", event);
        out.put("source_app", cwd.substring(cwd.lastIndexOf('/') + 1));
        out.put("uvs_session_id", sid);
        out.put("session_name", (String) meta.get("name"));
        out.put("session_kind", (String) meta.get("kind"));
        out.put("session_purpose", (String) meta.get("purpose"));
        out.put("session_priority", (String) meta.get("priority"));
        out.put("persona", (String) meta.get("persona"));
        out.put("git_worktree", "");
        out.put("git_branch", "");
        out.put("git_main_repo", "");
        out.put("git_is_linked_worktree", false);
        return out;
    }

    /** {@link #spliced} for a fixture file, with made-up metadata naming the session. */
    static ObjectNode event(String fixture, String sid) {
        var meta = obj("name", "compat " + sid, "kind", "feature", "purpose", "side by side", "priority", "medium",
                "persona", "professional");
        return spliced(CompatFiles.payload(fixture), CompatFiles.eventName(Path.of(fixture)), sid, meta)
                .put("_hook_ts", 1764066276.5);
    }

    /** What watchtower-notify.sh posts to /approvals for a fixture payload. */
    static Map<String, Object> approval(String fixture, String sid) {
        var input = CompatFiles.payload(fixture);
        var command = input.path("tool_input").path("command");
        return obj("session_id", sid, "tool_name", input.path("tool_name").asText(""),
                "command", command.isTextual() ? command.asText() : input.path("message").asText(""), "request", input);
    }
}
