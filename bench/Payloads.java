import java.nio.charset.StandardCharsets;

/**
 * Request bodies shaped like real traffic: a Claude Code PreToolUse payload (the shared
 * fixture PreToolUse--Bash.json) plus the fields the reference bash hook splices in (event
 * type, UV Suite session metadata, _hook_ts), about 900 bytes; each carries a unique
 * {@code wt_event_id}, which ours dedupes on and the reference keeps in the payload.
 */
final class Payloads {
    private Payloads() {}

    static final String CLAUDE_SESSION = "7fd072ad-f8a8-4485-a3ae-653b944571b4";

    /** Claude Code's own PreToolUse payload, as an http hook receives it. */
    static final String PRE_TOOL_USE = """
            {"session_id":"7fd072ad-f8a8-4485-a3ae-653b944571b4",\
            "transcript_path":"/home/user/.claude/projects/-home-user-project/7fd072ad-f8a8-4485-a3ae-653b944571b4.jsonl",\
            "cwd":"/home/user/project","prompt_id":"9e68c5b1-0f03-449a-a483-21fdfe6bbabd",\
            "permission_mode":"default","effort":{"level":"medium"},"hook_event_name":"PreToolUse",\
            "tool_name":"Bash","tool_input":{"command":"git status --short && ls -la src/watchtower",\
            "description":"Show the working tree state"},"tool_use_id":"toolu_01HbVf3kq2wTn8RZXmE4pL7c"}""";

    private static final String HOOK_FIELDS_HEAD = PRE_TOOL_USE.substring(0, PRE_TOOL_USE.length() - 1)
            + ",\"source_app\":\"project\",\"session_name\":\"bench agent\",\"session_kind\":\"dev\","
            + "\"session_purpose\":\"benchmark\",\"session_priority\":\"medium\",\"persona\":\"professional\","
            + "\"git_worktree\":\"\",\"git_branch\":\"main\",\"git_main_repo\":\"\",\"git_is_linked_worktree\":false,"
            + "\"_hook_ts\":1764000000.123456";

    /** What the reference bash hook posts to /events, tagged; {@code command} (or null) becomes the event's command. */
    static byte[] event(String eventId, String sessionId, String eventType, String command) {
        var sb = new StringBuilder(HOOK_FIELDS_HEAD.length() + 160).append(HOOK_FIELDS_HEAD)
                .append(",\"event_type\":\"").append(eventType)
                .append("\",\"uvs_session_id\":\"").append(sessionId).append('"');
        if (command != null) sb.append(",\"command\":\"").append(command).append('"');
        sb.append(",\"wt_event_id\":\"").append(eventId).append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] approval(String sessionId, boolean toolSpecific) {
        var json = toolSpecific
                ? "{\"session_id\":\"" + sessionId + "\",\"tool_name\":\"Bash\",\"command\":\"rm -rf build\","
                        + "\"request\":{\"hook_event_name\":\"PermissionRequest\",\"tool_name\":\"Bash\","
                        + "\"tool_input\":{\"command\":\"rm -rf build\"}}}"
                : "{\"session_id\":\"" + sessionId + "\",\"tool_name\":null,\"command\":null,"
                        + "\"request\":{\"hook_event_name\":\"Notification\",\"message\":\"Claude needs your permission to use Bash\","
                        + "\"notification_type\":\"permission_prompt\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
