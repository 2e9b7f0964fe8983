package watchtower.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import watchtower.approvals.Approvals;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.machines.SessionMachine;
import watchtower.store.Store;

/** POST /sessions/{id}/state and /sessions/{id}/tokens: what the end and tokens hooks send. */
public final class SessionUpdatesApi {
    static final Set<String> STATES = Set.of("active", "idle", "awaiting_human", "terminated");
    static final String REMOTE_TRANSCRIPT = "transcript_path names a file on the agent's machine, which this server"
            + " cannot read; send input_tokens and output_tokens";

    private final Store store;
    private final Approvals approvals;
    private final TokensIngest tokens;

    public SessionUpdatesApi(Store store, Approvals approvals, TokensIngest tokens) {
        this.store = store;
        this.approvals = approvals;
        this.tokens = tokens;
    }

    public void state(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        var state = Fields.oneOf(req.jsonObject(), "state", STATES, null);
        store.writer().execute(id, tx -> {
            if (store.sessions().find(tx, id).isEmpty()) throw ApiError.notFound("session not found");
            SessionMachine.checkWrite(tx, req.machine(), id);
            if (state.equals("terminated")) approvals.finishPending(tx, id, "expired", "session_end");
            store.sessions().setState(tx, id, state, null);
            var msg = new LinkedHashMap<String, Object>();
            msg.put("type", "session");
            msg.put("session_id", id);
            msg.put("state", state);
            tx.broadcast(msg);
            return null;
        });
        res.json(200, Map.of("ok", true));
    }

    public void tokens(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        var body = req.jsonObject();
        var transcript = Fields.text(body, "transcript_path");
        if (transcript != null) {
            if (req.machine().isPresent()) throw ApiError.unprocessable(REMOTE_TRANSCRIPT);
            res.json(200, tokens.fromTranscript(id, transcript));
            return;
        }
        long input = Fields.nonNegative(body, "input_tokens", 0);
        long output = Fields.nonNegative(body, "output_tokens", 0);
        store.writer().execute(id, tx -> {
            SessionMachine.checkWrite(tx, req.machine(), id);
            if (!store.sessions().setTokens(tx, id, input, output)) throw ApiError.notFound("session not found");
            var msg = new LinkedHashMap<String, Object>();
            msg.put("type", "session");
            msg.put("session_id", id);
            msg.put("input_tokens", input);
            msg.put("output_tokens", output);
            tx.broadcast(msg);
            return null;
        });
        res.json(200, Map.of("ok", true));
    }
}
