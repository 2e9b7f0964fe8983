package watchtower.machines;

import java.util.LinkedHashMap;
import java.util.Map;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Request;
import watchtower.http.Response;

/**
 * POST /machines, GET /machines, DELETE /machines/{name}: enrolling the machines whose agents
 * post to this server. The token is in the 201 answer and nowhere else afterwards; listings
 * carry names and times, never the token or its hash.
 */
public final class MachinesApi {
    private final MachinesStore machines;

    public MachinesApi(MachinesStore machines) {
        this.machines = machines;
    }

    public void create(Request req, Response res) throws Exception {
        var name = MachineName.of(Fields.requiredText(req.jsonObject(), "name"));
        var created = machines.create(name);
        var body = new LinkedHashMap<String, Object>();
        body.put("name", created.name());
        body.put("token", created.token());
        res.json(201, body);
    }

    public void list(Request req, Response res) throws Exception {
        res.json(200, machines.list().stream().map(MachinesApi::toWire).toList());
    }

    public void revoke(Request req, Response res) throws Exception {
        var name = MachineName.inPath(req.path("name"));
        res.json(200, toWire(machines.revoke(name).orElseThrow(() -> ApiError.notFound("machine not found"))));
    }

    private static Map<String, Object> toWire(Machine m) {
        var out = new LinkedHashMap<String, Object>();
        out.put("name", m.name());
        out.put("created_at", m.createdAt());
        out.put("last_seen_at", m.lastSeenAt());
        out.put("revoked_at", m.revokedAt());
        return out;
    }
}
