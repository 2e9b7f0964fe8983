package watchtower.install;

import java.util.List;
import java.util.Set;

/**
 * The Claude Code 2.1.330 hook events Watchtower listens to: every event the binary lists
 * except WorktreeCreate, whose hook replaces worktree creation instead of observing it
 * (CLAUDE-CODE.md §3). The client skips "type":"http" hooks for SessionStart and Setup
 * (measured: it logs "HTTP hooks are not supported for SessionStart"), so those two always
 * get a command hook.
 */
public final class ClaudeEvents {
    private ClaudeEvents() {}

    /** In the order a session meets them, roughly; the order personas list them in. */
    public static final List<String> HOOKED = List.of(
            "SessionStart", "Setup", "InstructionsLoaded", "UserPromptSubmit", "UserPromptExpansion",
            "PreToolUse", "PermissionRequest", "PermissionDenied", "PostToolUse", "PostToolUseFailure",
            "PostToolBatch", "Notification", "MessageDisplay", "Stop", "StopFailure",
            "SubagentStart", "SubagentStop", "TaskCreated", "TaskCompleted", "TeammateIdle",
            "PreCompact", "PostCompact", "PreModelSwitch", "PostModelSwitch",
            "Elicitation", "ElicitationResult", "ConfigChange", "CwdChanged", "FileChanged",
            "DirectoryAdded", "WorktreeRemove", "SessionEnd");

    /** Events whose http hooks the client ignores. */
    public static final Set<String> COMMAND_ONLY = Set.of("SessionStart", "Setup");

    /** The one event whose hook answer decides something (allow/deny), held open by the server. */
    public static final String PERMISSION_REQUEST = "PermissionRequest";

    /** Events after which the transcript has new usage to count (the server's http path does the same). */
    public static final Set<String> TOKEN_EVENTS = Set.of("Stop", "StopFailure", "SubagentStop", "PostCompact", "SessionEnd");
}
