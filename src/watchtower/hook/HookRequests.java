package watchtower.hook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns a hook's input into the request the matching bash hook would send, field for
 * field (the jq programs are quoted beside each method), plus {@code wt_event_id} on
 * events. Pure: the session, its metadata, the clock and the ids come in through the
 * constructor, so every rule here is testable without a process.
 */
final class HookRequests {
    /** Notification types that mean "a person is needed" (see {@link #approval}). */
    static final Set<String> HUMAN_NEEDED = Set.of("", "permission_prompt", "idle_prompt", "agent_needs_input");

    private static final String EMPTY = "\"\"";

    private final String sid;
    private final Optional<Map<String, String>> meta;
    private final Path workDir;
    private final LongSupplier clockMillis;
    private final Supplier<String> ids;

    HookRequests(String sid, Optional<Map<String, String>> meta, Path workDir, LongSupplier clockMillis,
                 Supplier<String> ids) {
        this.sid = sid;
        this.meta = meta;
        this.workDir = workDir;
        this.clockMillis = clockMillis;
        this.ids = ids;
    }

    /**
     * watchtower-send.sh: {@code . + {event_type: $etype, source_app: (.cwd // "" | split("/") | last),
     * uvs_session_id: ($m[0].uvs_session_id // $sid), session_name: ($m[0].name // ""), ...,
     * git_is_linked_worktree: (... // false), _hook_ts: now}}; without a metadata file only
     * event_type, source_app, {@code uvs_session_id: $sid} and _hook_ts.
     */
    HookRequest event(String eventType, String input) {
        var members = PayloadSplice.toMembers(input);
        return event(eventType, members, sourceApp(members.get("cwd")), Map.of());
    }

    /**
     * Codex's {@code notify} program gets one argument, a JSON object such as
     * {@code {"type":"agent-turn-complete","thread-id":..,"turn-id":..,"cwd":..,"input-messages":[..],
     * "last-assistant-message":".."}}. A finished turn becomes a {@code Stop} event (so it ends
     * the turn and clears stale approvals as Claude Code's Stop does); any other type is a
     * {@code CodexNotify} event. Tagged {@code agent: "codex"}; the thread id stands in for
     * Claude Code's {@code session_id} when the payload has none.
     */
    HookRequest codexNotify(String argument) {
        var members = PayloadSplice.toMembers(argument);
        var type = MiniJson.stringField(members, "type").orElse("");
        var eventType = type.equals("agent-turn-complete") ? "Stop" : "CodexNotify";
        var cwd = MiniJson.stringField(members, "cwd").orElse("");
        if (cwd.isEmpty()) cwd = workDir.toString();
        var extra = new LinkedHashMap<String, String>();
        extra.put("agent", "\"codex\"");
        if (!members.containsKey("session_id")) {
            var thread = MiniJson.stringField(members, "thread-id");
            if (thread.isPresent()) extra.put("session_id", MiniJson.quote(thread.get()));
        }
        if (!members.containsKey("last_assistant_message") && members.containsKey("last-assistant-message")) {
            extra.put("last_assistant_message", members.get("last-assistant-message"));
        }
        return event(eventType, members, sourceApp(MiniJson.quote(cwd)), extra);
    }

    /**
     * watchtower-notify.sh: skips Notification types that do not need a person, then
     * {@code {session_id: $sid, tool_name: (.tool_name // ""), command: (.tool_input.command //
     * .message // ""), request: .}}. The bash hook reads {@code .type}, which Claude Code 2.1.330
     * never sends (it sends {@code notification_type}), so there every type passed; we read
     * {@code type}, else {@code notification_type}, and let through the ones that mean "a
     * person is needed", {@code agent_needs_input} included (auto mode's fallback prompt).
     */
    Optional<HookRequest> approval(String input) {
        var members = PayloadSplice.toMembers(input);
        var type = jqRawString(members.get("type"));
        if (type.isEmpty()) type = jqRawString(members.get("notification_type"));
        if (!HUMAN_NEEDED.contains(type)) return Optional.empty();

        var toolInput = MiniJson.members(members.get("tool_input")); // empty unless an object
        var command = toolInput.isPresent() ? toolInput.get().get("command") : null;
        if (!MiniJson.truthy(command)) command = members.get("message");
        if (!MiniJson.truthy(command)) command = EMPTY;
        var body = new LinkedHashMap<String, String>();
        body.put("session_id", MiniJson.quote(sid));
        body.put("tool_name", or(members.get("tool_name"), EMPTY));
        body.put("command", command);
        body.put("request", PayloadSplice.write(members));
        return Optional.of(new HookRequest(ids.get(), "POST", "/approvals", PayloadSplice.write(body)));
    }

    /** watchtower-end.sh: {@code POST /sessions/$SID/state {"state":"terminated"}}; nothing without a session. */
    Optional<HookRequest> end() {
        if (sid.isEmpty()) return Optional.empty();
        return Optional.of(new HookRequest(ids.get(), "POST", "/sessions/" + pathSegment(sid) + "/state",
                "{\"state\":\"terminated\"}"));
    }

    /**
     * watchtower-tokens.sh found the transcript ({@code .transcript_path // ""}, an existing
     * file) and summed it itself; we only tell the server where it is, and the server counts
     * it once per API response. Nothing without a session or a transcript.
     */
    Optional<HookRequest> tokens(String input) {
        if (sid.isEmpty()) return Optional.empty();
        var members = PayloadSplice.toMembers(input);
        var path = MiniJson.stringField(members, "transcript_path").orElse("");
        if (path.isEmpty() || !Files.isRegularFile(Path.of(path))) return Optional.empty();
        return Optional.of(new HookRequest(ids.get(), "POST", "/sessions/" + pathSegment(sid) + "/tokens",
                "{\"transcript_path\":" + MiniJson.quote(path) + "}"));
    }

    // --- the jq rules ---

    private HookRequest event(String eventType, Map<String, String> members, String sourceApp,
                              Map<String, String> extra) {
        var id = ids.get();
        var fields = new LinkedHashMap<String, String>();
        fields.put("event_type", MiniJson.quote(eventType));
        fields.put("source_app", sourceApp);
        if (meta.isPresent()) {
            var m = meta.get();
            fields.put("uvs_session_id", or(m.get("uvs_session_id"), MiniJson.quote(sid)));
            fields.put("session_name", or(m.get("name"), EMPTY));
            fields.put("session_kind", or(m.get("kind"), EMPTY));
            fields.put("session_purpose", or(m.get("purpose"), EMPTY));
            fields.put("session_priority", or(m.get("priority"), EMPTY));
            fields.put("persona", or(m.get("persona"), EMPTY));
            fields.put("git_worktree", or(m.get("git_worktree"), EMPTY));
            fields.put("git_branch", or(m.get("git_branch"), EMPTY));
            fields.put("git_main_repo", or(m.get("git_main_repo"), EMPTY));
            fields.put("git_is_linked_worktree", or(m.get("git_is_linked_worktree"), "false"));
        } else {
            fields.put("uvs_session_id", MiniJson.quote(sid));
        }
        fields.put("_hook_ts", hookTs());
        fields.putAll(extra);
        fields.put("wt_event_id", MiniJson.quote(id));
        var all = new LinkedHashMap<>(members);
        all.putAll(fields);
        return new HookRequest(id, "POST", "/events", PayloadSplice.write(all));
    }

    /** {@code .cwd // "" | split("/") | last}: the last path segment; null for "" (jq splits "" into []). */
    static String sourceApp(String cwdRaw) {
        if (!MiniJson.truthy(cwdRaw) || cwdRaw.charAt(0) != '"') return "null";
        var cwd = MiniJson.decodeString(cwdRaw);
        if (cwd.isEmpty()) return "null";
        return MiniJson.quote(cwd.substring(cwd.lastIndexOf('/') + 1));
    }

    /** jq's {@code now}: seconds since the epoch, with a fraction. */
    private String hookTs() {
        long ms = clockMillis.getAsLong();
        var frac = Long.toString(1000 + ms % 1000).substring(1);
        return (ms / 1000) + "." + frac;
    }

    /** {@code a // b} on raw JSON values. */
    private static String or(String raw, String fallback) {
        return MiniJson.truthy(raw) ? raw : fallback;
    }

    /** {@code jq -r '.x // ""'}: a string's text, another value's JSON text, "" for null/false/absent. */
    private static String jqRawString(String raw) {
        if (!MiniJson.truthy(raw)) return "";
        return raw.charAt(0) == '"' ? MiniJson.decodeString(raw) : raw;
    }

    /** Percent-encodes a session id for a URL path, so no id can reach another route. */
    static String pathSegment(String s) {
        if (s.equals(".") || s.equals("..")) return s.replace(".", "%2E"); // a dot segment would climb the path
        var b = new StringBuilder();
        for (byte x : s.getBytes(UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }
}
