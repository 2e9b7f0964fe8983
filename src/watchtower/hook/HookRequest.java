package watchtower.hook;

import java.util.Optional;

/**
 * One request the hook owes the server, as sent and as spooled. {@code id} names it in the
 * spool (for an event it is also the body's {@code wt_event_id}, by which the server drops
 * a re-delivery). A spool line is a JSON object whose body is a JSON string, so a line
 * never holds a raw newline whatever the payload.
 */
public record HookRequest(String id, String method, String path, String body) {

    public String toLine() {
        return "{\"id\":" + MiniJson.quote(id) + ",\"method\":" + MiniJson.quote(method)
                + ",\"path\":" + MiniJson.quote(path) + ",\"body\":" + MiniJson.quote(body) + "}";
    }

    /** Empty for a line that is not a whole spool entry (e.g. cut short by a crash). */
    public static Optional<HookRequest> fromLine(String line) {
        var members = MiniJson.members(line);
        if (members.isEmpty()) return Optional.empty();
        var m = members.get();
        var id = MiniJson.stringField(m, "id");
        var method = MiniJson.stringField(m, "method");
        var path = MiniJson.stringField(m, "path");
        var body = MiniJson.stringField(m, "body");
        if (id.isEmpty() || method.isEmpty() || path.isEmpty() || body.isEmpty()) return Optional.empty();
        return Optional.of(new HookRequest(id.get(), method.get(), path.get(), body.get()));
    }
}
