package watchtower.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import watchtower.approvals.Approvals;
import watchtower.approvals.HeldHooks;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Json;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.machines.SessionMachine;
import watchtower.store.Store;

/**
 * POST /hooks/claude: Claude Code's "type":"http" hooks, no process per event. The body is
 * Claude Code's own payload; the persona's headers add X-UVS-Session ($UVS_SESSION_ID) and
 * X-Tmux-Pane. The server adds what the bash hooks added (metadata, source_app, event_type)
 * and answers at once: the write is queued, not awaited, so Claude Code never waits on disk.
 * A PermissionRequest is the exception: it becomes a pending approval and its request is held
 * open (parked, no thread) until a person decides, which is how Watchtower answers without keys.
 */
public final class ClaudeHookApi {
    private static final System.Logger LOG = System.getLogger("watchtower.ingest");
    private static final Set<String> TOKEN_EVENTS = Set.of("Stop", "StopFailure", "SubagentStop", "PostCompact", "SessionEnd");

    private final Store store;
    private final EventsApi events;
    private final Approvals approvals;
    private final HeldHooks held;
    private final SessionMetadata metadata;
    private final TokensIngest tokens;

    public ClaudeHookApi(Store store, EventsApi events, Approvals approvals, HeldHooks held,
                         SessionMetadata metadata, TokensIngest tokens) {
        this.store = store;
        this.events = events;
        this.approvals = approvals;
        this.held = held;
        this.metadata = metadata;
        this.tokens = tokens;
    }

    public void post(Request req, Response res) throws Exception {
        var body = req.jsonObject();
        var eventName = Fields.text(body, "hook_event_name");
        if (eventName == null || eventName.isBlank()) throw ApiError.unprocessable("hook_event_name is required");
        var sid = sessionId(req, body);
        var enriched = enrich(body, sid, eventName, req.header("X-Tmux-Pane").filter(p -> p.matches("%\\d{1,6}")).orElse(null),
                req.machine().isEmpty()); // a machine's cwd is a folder over there: no metadata to read here
        var incoming = EventsApi.fromBody(enriched).from(req.machine());
        SessionMachine.checkWrite(store, req.machine(), sid); // the write below is not awaited
        if (incoming.command() == null) incoming = incoming.withCommand(requestedAction(body)); // what the feed shows

        if (eventName.equals("PermissionRequest")) {
            holdForDecision(incoming, body, sid, res);
            return;
        }
        events.ingestAsync(incoming).whenComplete((id, error) -> {
            if (error != null) LOG.log(System.Logger.Level.WARNING, "hook event not stored: " + error.getMessage());
        });
        if (TOKEN_EVENTS.contains(eventName)) {
            var transcript = Fields.text(body, "transcript_path");
            // a machine's transcript_path names a file on that machine, not here
            if (transcript != null && req.machine().isEmpty()) tokens.refreshLater(sid, transcript);
        }
        res.json(200, Map.of());
    }

    /** The command, file or URL a tool call acts on: what a person needs to see to approve it. */
    static String requestedAction(ObjectNode body) {
        var input = body.get("tool_input");
        if (input == null || !input.isObject()) return null;
        for (var key : new String[] {"command", "file_path", "url", "notebook_path", "pattern"}) {
            if (input.path(key).isTextual()) return input.path(key).textValue();
        }
        return null;
    }

    private void holdForDecision(EventsApi.Incoming incoming, ObjectNode body, String sid, Response res) {
        var command = requestedAction(body);
        var tool = Fields.text(body, "tool_name");
        var stored = EventsApi.Stored.of(incoming);
        var requestJson = PayloadCap.toStored(body);
        // Held before the commit makes the approval visible, so a decision taken the moment it shows
        // (here or on another instance) finds its hook; if nothing is stored, answer with no decision.
        var answer = res.detach();
        long[] heldId = {-1};
        try {
            store.writer().execute(sid, tx -> {
                events.write(tx, incoming, stored);
                long id = approvals.openOrRefresh(tx, sid, tool, command, requestJson, Fields.text(body, "tool_use_id")).id();
                held.hold(id, sid, answer);
                heldId[0] = id;
                return id;
            });
        } catch (RuntimeException e) {
            if (heldId[0] >= 0) held.release(heldId[0]);
            var error = e instanceof ApiError api ? api : ApiError.unavailable("not stored: " + e.getMessage());
            answer.complete(error.status(), java.util.Map.of("detail", error.detail()));
            if (!(e instanceof ApiError)) LOG.log(System.Logger.Level.WARNING, "PermissionRequest not stored: " + e);
        }
    }

    private static String sessionId(Request req, ObjectNode body) {
        var header = req.header("X-UVS-Session").map(String::trim).filter(s -> !s.isEmpty());
        if (header.isPresent()) return Fields.sessionId(header.get());
        var claude = Fields.text(body, "session_id");
        if (claude == null || claude.isBlank()) throw ApiError.unprocessable("session_id is required");
        return Fields.sessionId(claude);
    }

    /** The fields watchtower-send.sh spliced in, so both paths store the same event. */
    private ObjectNode enrich(ObjectNode body, String sid, String eventName, String pane, boolean local) {
        var out = body.deepCopy();
        out.put("event_type", eventName);
        var cwd = Fields.text(body, "cwd");
        out.put("source_app", cwd == null ? "" : Path.lastSegment(cwd));
        out.put("uvs_session_id", sid);
        out.put("agent", "claude");
        out.put("hook_transport", "http");
        out.put("_hook_ts", Instant.now().toEpochMilli() / 1000.0);
        if (pane != null) out.put("tmux_pane", pane);
        if (local) metadata.lookup(cwd, sid).ifPresent(meta -> {
            copy(meta, out, "name", "session_name");
            copy(meta, out, "kind", "session_kind");
            copy(meta, out, "purpose", "session_purpose");
            copy(meta, out, "priority", "session_priority");
            copy(meta, out, "persona", "persona");
            for (var key : new String[] {"git_worktree", "git_branch", "git_main_repo"}) copy(meta, out, key, key);
        });
        return out;
    }

    private static void copy(com.fasterxml.jackson.databind.JsonNode from, ObjectNode to, String key, String as) {
        var v = from.get(key);
        if (v != null && v.isTextual()) to.put(as, v.textValue());
    }

    /** Path helpers that never throw on odd client strings. */
    static final class Path {
        private Path() {}

        static String lastSegment(String p) {
            var trimmed = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            return trimmed.substring(trimmed.lastIndexOf('/') + 1);
        }
    }
}
