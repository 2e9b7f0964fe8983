package watchtower.approvals;

import java.util.LinkedHashMap;
import java.util.Set;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Json;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.machines.SessionMachine;
import watchtower.store.Store;

/**
 * POST /approvals (what the notify hook sends) and POST /approvals/{id}/decide (a person's
 * answer). Both run on the single writer, so "one pending approval per session" holds under
 * any number of concurrent requests, and a decision on an approval that is no longer pending
 * is 409 rather than a second answer.
 */
public final class ApprovalsApi {
    private final Store store;
    private final Approvals approvals;
    private final Decider decider;

    /** Carries a decision to the agent (held hook answer or keystrokes); reports whether it did. */
    public interface Decider {
        boolean actuate(long approvalId, String sessionId, boolean approve, String message);

        Decider RECORD_ONLY = (id, sid, approve, message) -> false;
    }

    public ApprovalsApi(Store store, Approvals approvals, Decider decider) {
        this.store = store;
        this.approvals = approvals;
        this.decider = decider;
    }

    public void create(Request req, Response res) throws Exception {
        var body = req.jsonObject();
        var request = Fields.object(body, "request");
        var rawSid = Fields.text(body, "session_id");
        if ((rawSid == null || rawSid.isEmpty()) && request != null && request.path("session_id").isTextual()) {
            rawSid = request.path("session_id").textValue(); // the bash hook without UVS_SESSION_ID sends ""
        }
        if (rawSid == null || rawSid.isEmpty()) throw ApiError.unprocessable("session_id is required");
        var sid = Fields.sessionId(rawSid);
        SessionMachine.checkWrite(store, req.machine(), sid);
        var notification = notificationType(request);
        if (notification != null && !notification.equals("permission_prompt")) {
            notWaitingForApproval(sid, notification, res);
            return;
        }
        var tool = Fields.text(body, "tool_name");
        var command = Fields.text(body, "command");
        var requestJson = Json.write(request);
        var toolUseId = request == null ? null : textOrNull(request, "tool_use_id");
        var created = store.writer().execute(sid, tx -> approvals.openOrRefresh(tx, sid, tool, command, requestJson, toolUseId));
        var out = new LinkedHashMap<String, Object>();
        out.put("ok", true);
        out.put("id", created.id());
        res.json(200, out);
    }

    /**
     * The reference notify hook forwards every Notification (it filters on a field Claude Code
     * does not send). Only a permission prompt is something to approve: "waiting for your input"
     * and auto mode's question are session states, and approving them must never type into the
     * agent's prompt; other notifications are ignored.
     */
    private void notWaitingForApproval(String sid, String type, Response res) throws Exception {
        var state = switch (type) {
            case "idle_prompt" -> "idle";
            case "agent_needs_input" -> "awaiting_human";
            default -> null;
        };
        if (state != null) {
            store.writer().execute(tx -> {
                if (store.sessions().setState(tx, sid, state, type)) {
                    var msg = new LinkedHashMap<String, Object>();
                    msg.put("type", "session");
                    msg.put("session_id", sid);
                    msg.put("state", state);
                    msg.put("attention", type);
                    tx.broadcast(msg);
                }
                return null;
            });
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("ok", true);
        out.put("id", null);
        out.put("ignored", type);
        res.json(200, out);
    }

    private static String notificationType(com.fasterxml.jackson.databind.node.ObjectNode request) {
        if (request == null || !"Notification".equals(request.path("hook_event_name").asText(null))) return null;
        return request.path("notification_type").asText("");
    }

    public void decide(Request req, Response res) throws Exception {
        long id = Fields.numericIdInPath(req.path("id"), "approval");
        var body = req.jsonObject();
        var decision = Fields.oneOf(body, "decision", Set.of("approve", "deny"), null);
        var decidedBy = Fields.text(body, "decided_by");
        var message = Fields.text(body, "message");
        boolean approve = decision.equals("approve");
        var status = approve ? "approved" : "denied";
        var sid = store.writer().execute(tx -> {
            var row = store.approvals().find(tx, id).orElseThrow(() -> ApiError.notFound("approval not found"));
            if (!"pending".equals(row.get("status"))) {
                throw ApiError.conflict("approval " + id + " is already " + row.get("status"));
            }
            var sessionId = (String) row.get("session_id");
            store.approvals().finish(tx, id, status, decidedBy, "api");
            if (sessionId != null) store.sessions().setState(tx, sessionId, "active", null);
            tx.broadcast(Approvals.statusMessage(id, sessionId, status));
            return sessionId;
        });
        boolean actuated = decider.actuate(id, sid, approve, message);
        var out = new LinkedHashMap<String, Object>();
        out.put("ok", true);
        out.put("status", status);
        out.put("actuated", actuated);
        res.json(200, out);
    }

    private static String textOrNull(com.fasterxml.jackson.databind.node.ObjectNode o, String field) {
        var v = o.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
