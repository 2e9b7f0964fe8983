package watchtower.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import watchtower.approvals.ApprovalsApi;
import watchtower.approvals.HeldHooks;
import watchtower.http.ApiError;
import watchtower.http.Json;
import watchtower.store.Store;

/**
 * Carries a person's decision to the agent: through the held PermissionRequest hook when there
 * is one (no keys at all), else by keystrokes when the session runs in {@code uvs_<id>} on our
 * socket, else not at all (the decision is recorded and the terminal still asks). Only a
 * permission prompt is ever answered by keys: an {@code idle_prompt} or {@code agent_needs_input}
 * notification (a reference database holds such approvals) has no "1. Yes" to press, and "1"
 * and Enter at the input line would send a prompt; and Keystrokes itself types only while the
 * pane shows the widget. The keys are typed on the session's own machine (see Machine): on
 * another machine through its `wtctl agent`; while that agent is offline the decision is
 * recorded and not actuated.
 */
public final class ApprovalActuator implements ApprovalsApi.Decider {
    private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static final System.Logger LOG = System.getLogger("watchtower.control");

    private final Store store;
    private final HeldHooks held;
    private final Function<String, Machine> machineOfSession;

    public ApprovalActuator(Store store, HeldHooks held, Function<String, Machine> machineOfSession) {
        this.store = store;
        this.held = held;
        this.machineOfSession = machineOfSession;
    }

    @Override
    public boolean actuate(long approvalId, String sessionId, boolean approve, String message) {
        if (held.decide(approvalId, approve, message)) return true;
        if (sessionId == null || Tmux.sessionName(sessionId).isEmpty()) return false;
        var approval = store.approvals().find(approvalId);
        if (approval.isEmpty() || !isPermissionPrompt(approval.get())) return false;
        try {
            // an idle session shows its input line, not the widget: Keystrokes sends nothing there
            return machineOfSession.apply(sessionId).answer(sessionId, approve, createdAt(approval.get()));
        } catch (ApiError e) {
            LOG.log(System.Logger.Level.INFO, "approval " + approvalId + " recorded, not typed: " + e.detail());
            return false; // the decision stands; the terminal still asks
        }
    }

    /** A PermissionRequest, or the permission_prompt Notification; not an idle or auto-mode notice. */
    static boolean isPermissionPrompt(Map<String, Object> approval) {
        var request = parse(approval.get("request"));
        var type = request.path("notification_type").asText("");
        if (!type.isEmpty()) return type.equals("permission_prompt");
        var event = request.path("hook_event_name").asText("");
        return event.isEmpty() || event.equals("PermissionRequest")
                || (event.equals("Notification") && !request.path("message").asText("").contains("waiting for your input"));
    }

    private static JsonNode parse(Object stored) {
        if (!(stored instanceof String s) || s.isBlank()) return Json.MAPPER.createObjectNode();
        try {
            var node = Json.MAPPER.readTree(s);
            return node == null ? Json.MAPPER.createObjectNode() : node;
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static Optional<Instant> createdAt(Map<String, Object> approval) {
        if (!(approval.get("created_at") instanceof String s)) return Optional.empty();
        try {
            return Optional.of(LocalDateTime.parse(s, STORED).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
