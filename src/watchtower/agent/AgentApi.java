package watchtower.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Request;
import watchtower.http.Response;

/**
 * The two routes a `wtctl agent` calls with its machine token: {@code GET /agent/next?wait=25}
 * (the next command, or {"command": null} after the wait) and {@code POST /agent/results}. Both
 * are refused (403) without a machine token: the install token names no machine.
 */
public final class AgentApi {
    static final int MAX_WAIT_SECONDS = 30;
    static final int MAX_ERROR = 2000;

    private final AgentRegistry registry;
    private final Function<Request, Optional<String>> machineOf;

    /** {@code machineOf} is the machine a request's token belongs to (the guard's finding). */
    public AgentApi(AgentRegistry registry, Function<Request, Optional<String>> machineOf) {
        this.registry = registry;
        this.machineOf = machineOf;
    }

    public void next(Request req, Response res) throws Exception {
        var machine = machine(req);
        int wait = req.intParam("wait", 25, 0, MAX_WAIT_SECONDS);
        registry.poll(machine, Duration.ofSeconds(wait), res);
    }

    public void results(Request req, Response res) throws Exception {
        var machine = machine(req);
        var body = req.jsonObject();
        var id = Fields.requiredText(body, "id");
        var ok = body.get("ok");
        if (ok == null || !ok.isBoolean()) throw ApiError.unprocessable("ok must be true or false");
        ObjectNode result = Fields.object(body, "result");
        var error = Fields.text(body, "error");
        if (error != null && error.length() > MAX_ERROR) error = error.substring(0, MAX_ERROR) + "...";
        var status = Fields.integer(body, "status");
        int code = status != null && status >= 400 && status < 600 ? status.intValue() : 409;
        if (!registry.complete(machine, id, new AgentRegistry.Result(ok.booleanValue(), result, error, code))) {
            throw ApiError.notFound("no command " + clip(id) + " of machine " + machine + " is waiting for a result");
        }
        res.json(200, Map.of("ok", true));
    }

    private String machine(Request req) {
        return machineOf.apply(req).orElseThrow(() -> ApiError.forbidden(
                "only a machine token may poll for agent commands (create one with POST /machines)"));
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
