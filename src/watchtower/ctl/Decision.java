package watchtower.ctl;

import java.util.LinkedHashMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What `approve` and `deny` share: find the approval (by id, or the session's pending one) and
 * post the decision. The server answers 409 when the approval is no longer pending, which
 * reaches the user as its detail ("approval 12 is already approved"), exit 1.
 */
final class Decision {
    private Decision() {}

    static int decide(ApiOptions api, CommandSpec spec, ApprovalId id, SessionId session, boolean approve, String message) {
        if ((id == null) == (session == null)) {
            throw new ParameterException(spec.commandLine(), "give an approval ID or --session SESSION (one of them)");
        }
        var client = api.client();
        long approvalId = id != null ? id.value() : pendingFor(client, session);
        var body = new LinkedHashMap<String, Object>();
        body.put("decision", approve ? "approve" : "deny");
        body.put("decided_by", "wtctl");
        if (message != null) body.put("message", message);
        var json = client.post("/approvals/" + approvalId + "/decide", body);
        var out = api.out();
        if (api.json()) {
            out.println(json.strip());
        } else {
            out.println((approve ? "approved " : "denied ") + approvalId);
            if (Boolean.FALSE.equals(MiniJson.parseObject(json).get("actuated"))) {
                api.err().println("note: recorded, but the agent could not be answered from here; "
                        + "answer the prompt in its terminal if it is still shown");
                api.err().flush();
            }
        }
        out.flush();
        return CtlError.OK;
    }

    /** The id of the session's pending approval; the session may be given by a unique prefix. */
    private static long pendingFor(ApiClient client, SessionId session) {
        var sid = SessionRef.resolve(client, session).id();
        for (var a : MiniJson.parseObjects(client.get("/approvals?status=pending"))) {
            if (sid.equals(MiniJson.text(a, "session_id"))) return MiniJson.whole(a, "id");
        }
        throw CtlError.refused(0, "session " + sid + " has no pending approval", "see `wtctl approvals`");
    }
}
