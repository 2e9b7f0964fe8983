package watchtower.ctl;

import java.util.Map;

/**
 * Finds the session a user means: the exact id, else the one session whose id starts with what
 * was typed (the short ids `wtctl ls` prints). Two matches are refused, listing both, so a
 * destructive command never guesses.
 */
public final class SessionRef {
    private SessionRef() {}

    /** The session's row as GET /sessions/{id} returns it, plus its raw JSON. */
    public record Found(String id, Map<String, Object> row, String json) {}

    public static Found resolve(ApiClient api, SessionId typed) {
        try {
            var json = api.get("/sessions/" + typed.value());
            return new Found(typed.value(), MiniJson.parseObject(json), json);
        } catch (CtlError e) {
            if (e.httpStatus() != 404) throw e;
            var candidates = MiniJson.parseObjects(api.get(ApiClient.query("/sessions", "q", typed.value(), "limit", 1000)))
                    .stream().map(r -> MiniJson.text(r, "id"))
                    .filter(id -> SessionId.isValid(id) && id.startsWith(typed.value()))
                    .toList();
            if (candidates.isEmpty()) throw e;
            if (candidates.size() > 1) {
                var shown = candidates.stream().limit(5).map(Format::clean).toList();
                throw CtlError.refused(0, "'" + typed.value() + "' matches " + candidates.size() + " sessions ("
                        + String.join(", ", shown) + (candidates.size() > 5 ? ", ..." : "") + ")",
                        "type more of the id");
            }
            var id = candidates.get(0);
            var json = api.get("/sessions/" + id);
            return new Found(id, MiniJson.parseObject(json), json);
        }
    }
}
