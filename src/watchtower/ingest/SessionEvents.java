package watchtower.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import watchtower.approvals.Approvals;
import watchtower.store.Store;
import watchtower.store.Tx;

/**
 * What each hook event means for its session's state, applied inside the event's write.
 * An Escape in the terminal fires no hook, so the next sign of life (a tool finishing, a new
 * prompt, the turn ending) is what tells us a pending approval was answered elsewhere.
 */
public final class SessionEvents {
    private final Store store;
    private final Approvals approvals;

    public SessionEvents(Store store, Approvals approvals) {
        this.store = store;
        this.approvals = approvals;
    }

    public void apply(Tx tx, String sid, String eventType, ObjectNode payload, boolean wasTerminated)
            throws SQLException {
        var sessions = store.sessions();
        switch (eventType) {
            case "SessionStart" -> sessions.setState(tx, sid, "active", null);
            case "UserPromptSubmit" -> {
                approvals.finishPending(tx, sid, "resolved", "next_event");
                sessions.setState(tx, sid, "active", null);
            }
            case "PostToolUse", "PostToolUseFailure" -> {
                if (wasTerminated) return;
                approvals.finishPending(tx, sid, "resolved", "next_event");
                sessions.setState(tx, sid, "active", null);
            }
            case "PreToolUse", "SubagentStart", "PreCompact", "PostCompact", "CwdChanged" -> {
                if (!wasTerminated) sessions.setState(tx, sid, "active", null);
            }
            case "PermissionRequest" -> {
                if (!wasTerminated) sessions.setState(tx, sid, "awaiting_human", "permission_prompt");
            }
            case "Stop", "StopFailure" -> {
                if (wasTerminated) return;
                approvals.finishPending(tx, sid, "resolved", "next_event");
                sessions.setState(tx, sid, "idle", eventType.equals("StopFailure") ? "stop_failure" : null);
            }
            case "Notification" -> {
                if (!wasTerminated) applyNotification(tx, sid, textOf(payload, "notification_type"));
            }
            case "SessionEnd" -> {
                approvals.finishPending(tx, sid, "expired", "session_end");
                sessions.setState(tx, sid, "terminated", null);
                sessions.setEndReason(tx, sid, textOf(payload, "reason"));
            }
            default -> { }
        }
    }

    // permission_prompt, idle_prompt and agent_needs_input are three different situations:
    // a tool waits for approval; the turn is over and the agent waits for a prompt; auto mode
    // could not check an action and asks a person (no PermissionRequest fires on that path).
    private void applyNotification(Tx tx, String sid, String type) throws SQLException {
        if (type == null) return;
        switch (type) {
            case "permission_prompt" -> store.sessions().setState(tx, sid, "awaiting_human", "permission_prompt");
            case "idle_prompt" -> store.sessions().setState(tx, sid, "idle", "idle_prompt");
            case "agent_needs_input" -> store.sessions().setState(tx, sid, "awaiting_human", "agent_needs_input");
            default -> { }
        }
    }

    static String textOf(ObjectNode payload, String field) {
        var v = payload.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
