package watchtower.sessions;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Json;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.store.SessionsStore;
import watchtower.store.Store;

/**
 * The read side the dashboard loads: sessions (newest activity first, paged, filtered), one
 * session, its events, recent events, search, approvals. Stored JSON columns (payload, request)
 * are decoded back into objects, as the reference returns them.
 */
public final class SessionsApi {
    static final Set<String> APPROVAL_STATUSES = Set.of("pending", "approved", "denied", "resolved", "expired");

    private final Store store;
    private final Predicate<String> machineOnline;

    public SessionsApi(Store store) {
        this(store, machine -> false);
    }

    /** {@code machineOnline}: whether a machine's `wtctl agent` is connected (rows of its sessions say so). */
    public SessionsApi(Store store, Predicate<String> machineOnline) {
        this.store = store;
        this.machineOnline = machineOnline;
    }

    public void list(Request req, Response res) throws Exception {
        var state = req.query("state").filter(s -> !s.isBlank()).orElse(null);
        if (state != null && !Set.of("active", "idle", "awaiting_human", "terminated").contains(state)) {
            throw ApiError.unprocessable("state must be one of active, awaiting_human, idle, terminated");
        }
        var filter = new SessionsStore.Filter(state,
                req.query("kind").filter(s -> !s.isBlank()).orElse(null),
                req.query("priority").filter(s -> !s.isBlank()).orElse(null),
                req.query("since").filter(s -> !s.isBlank()).orElse(null),
                req.query("q").filter(s -> !s.isBlank()).orElse(null));
        int limit = req.intParam("limit", 1000, 1, 1000);
        int offset = req.intParam("offset", 0, 0, Integer.MAX_VALUE);
        var rows = store.sessions().list(filter, limit, offset);
        rows.forEach(this::markOnline);
        res.json(200, rows);
    }

    public void one(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        var row = store.sessions().find(id).orElseThrow(() -> ApiError.notFound("session not found"));
        markOnline(row);
        res.json(200, row);
    }

    public void events(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        int limit = req.intParam("limit", 100, 1, 1000);
        long before = req.intParam("before", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        var rows = store.events().forSession(id, limit, before);
        if (rows.isEmpty() && store.sessions().find(id).isEmpty()) throw ApiError.notFound("session not found");
        rows.forEach(r -> decode(r, "payload"));
        res.json(200, rows);
    }

    public void recentEvents(Request req, Response res) throws Exception {
        res.json(200, store.events().recent(req.intParam("limit", 60, 1, 1000)));
    }

    public void search(Request req, Response res) throws Exception {
        var q = req.query("q").orElse("").trim();
        if (q.isEmpty()) throw ApiError.unprocessable("q is required");
        if (q.length() > 200) throw ApiError.unprocessable("q is longer than 200 characters");
        var sid = req.query("session_id").filter(s -> !s.isBlank()).map(Fields::sessionId).orElse(null);
        res.json(200, store.events().search(q, sid, req.intParam("limit", 100, 1, 1000)));
    }

    public void approvals(Request req, Response res) throws Exception {
        var status = req.query("status").orElse("pending");
        if (!status.equals("all") && !APPROVAL_STATUSES.contains(status)) {
            throw ApiError.unprocessable("status must be all or one of approved, denied, expired, pending, resolved");
        }
        var rows = store.approvals().list(status.equals("all") ? null : status, req.intParam("limit", 1000, 1, 1000));
        rows.forEach(r -> decode(r, "request"));
        res.json(200, rows);
    }

    /** A session on another machine carries machine_online; rows of this machine's sessions stay as they were. */
    private void markOnline(Map<String, Object> row) {
        if (row.get("machine") instanceof String m && !m.isEmpty()) row.put("machine_online", machineOnline.test(m));
    }

    /** JSON columns are stored as text; give them back as JSON (left as text if they do not parse). */
    static void decode(Map<String, Object> row, String column) {
        if (row.get(column) instanceof String s) {
            try {
                row.put(column, Json.MAPPER.readTree(s));
            } catch (java.io.IOException e) {
                // left as stored text: older rows may hold non-JSON
            }
        }
    }
}
