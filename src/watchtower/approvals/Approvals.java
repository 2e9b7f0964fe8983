package watchtower.approvals;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import watchtower.store.Store;
import watchtower.store.Tx;

/**
 * The approval rules that run inside a write: one pending approval per session (a second
 * request for the same prompt refreshes it, and a tool-specific request wins over a generic
 * Notification), and closing what is pending when the session moves on.
 */
public final class Approvals {
    private final Store store;
    private final HeldHooks held;

    public Approvals(Store store, HeldHooks held) {
        this.store = store;
        this.held = held;
    }

    public record Created(long id, boolean isNew) {}

    /** Creates or refreshes the session's pending approval; marks the session awaiting_human. */
    public Created openOrRefresh(Tx tx, String sessionId, String toolName, String command, String requestJson,
                                 String toolUseId) throws SQLException {
        var existing = store.approvals().pendingFor(tx, sessionId);
        long id;
        if (existing.isPresent()) {
            var row = existing.get();
            id = ((Number) row.get("id")).longValue();
            // Python truthiness, as the reference: "" counts as absent.
            boolean hasTool = toolName != null && !toolName.isEmpty();
            var storedCommand = (String) row.get("command");
            var tool = hasTool ? toolName : (String) row.get("tool_name");
            var cmd = hasTool ? command : (storedCommand != null && !storedCommand.isEmpty() ? storedCommand : command);
            store.approvals().refresh(tx, id, tool, cmd, requestJson);
        } else {
            id = store.approvals().insertPending(tx, sessionId, toolName, command, requestJson, toolUseId);
        }
        store.sessions().setState(tx, sessionId, "awaiting_human", "permission_prompt");
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "approval");
        msg.put("id", id);
        msg.put("session_id", sessionId);
        msg.put("tool_name", toolName);
        msg.put("command", command);
        msg.put("status", "pending");
        tx.broadcast(msg);
        return new Created(id, existing.isEmpty());
    }

    /** Finishes every pending approval of the session with {@code status}; returns how many. */
    public int finishPending(Tx tx, String sessionId, String status, String via) throws SQLException {
        int n = 0;
        for (var row : store.approvals().allPendingFor(tx, sessionId)) {
            long id = ((Number) row.get("id")).longValue();
            if (store.approvals().finish(tx, id, status, null, via)) {
                held.release(id); // answered in the terminal, or the session ended: free the held hook
                tx.broadcast(statusMessage(id, sessionId, status));
                n++;
            }
        }
        return n;
    }

    public static Map<String, Object> statusMessage(long id, String sessionId, String status) {
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "approval");
        msg.put("id", id);
        msg.put("session_id", sessionId);
        msg.put("status", status);
        return msg;
    }
}
