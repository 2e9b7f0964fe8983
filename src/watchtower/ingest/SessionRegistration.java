package watchtower.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.machines.SessionMachine;
import watchtower.store.SessionsStore;
import watchtower.store.Store;

/**
 * POST /sessions/register: what a launcher sends when it starts a session in tmux. Accepts the
 * reference launcher's {@code tmux_target} and its older {@code tmux}; the only target we accept
 * is {@code uvs_<id>} (on our own socket), so a client can never point keystrokes elsewhere.
 */
public final class SessionRegistration {
    private final Store store;

    public SessionRegistration(Store store) {
        this.store = store;
    }

    public void post(Request req, Response res) throws Exception {
        var body = req.jsonObject();
        var id = Fields.sessionId(Fields.requiredText(body, "id"));
        var target = Fields.firstText(body, "tmux_target", "tmux");
        if (target != null && !target.equals("uvs_" + id)) {
            throw ApiError.unprocessable("tmux_target must be uvs_" + id + " (sessions live on the uvs tmux socket)");
        }
        var pid = Fields.integer(body, "pid");
        if (pid != null && pid <= 1) throw ApiError.unprocessable("pid must be greater than 1");
        var parent = Fields.text(body, "parent_id");
        if (parent != null) Fields.sessionId(parent);
        var upsert = new SessionsStore.Upsert(id, Fields.text(body, "name"), Fields.text(body, "kind"),
                Fields.text(body, "purpose"), Fields.text(body, "priority"), Fields.text(body, "persona"),
                Fields.text(body, "cwd"), Fields.text(body, "worktree"), Fields.text(body, "branch"), pid, target,
                parent, Fields.text(body, "agent"), Fields.text(body, "model"), null);
        store.writer().execute(id, tx -> {
            SessionMachine.checkWrite(tx, req.machine(), id);
            store.sessions().upsert(tx, upsert);
            SessionMachine.stamp(tx, req.machine(), id);
            store.sessions().setState(tx, id, "active", null);
            tx.broadcast(message(id));
            return null;
        });
        res.json(200, Map.of("ok", true));
    }

    private static Map<String, Object> message(String id) {
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "session");
        msg.put("session_id", id);
        return msg;
    }
}
