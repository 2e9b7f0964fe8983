package watchtower.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import watchtower.core.Time;
import watchtower.http.Fields;
import watchtower.http.Json;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.machines.SessionMachine;
import watchtower.store.EventsStore;
import watchtower.store.SearchText;
import watchtower.store.SessionsStore;
import watchtower.store.Store;
import watchtower.store.Tx;

/**
 * POST /events: the reference hooks' ingest. Stores the event whole, upserts its session from
 * the metadata the hook spliced in (a null never overwrites), applies what the event means for
 * the session, and broadcasts it. A repeated {@code wt_event_id} (a spooled re-delivery) is
 * acknowledged and stored once.
 */
public final class EventsApi {
    private final Store store;
    private final SessionEvents sessionEvents;

    public EventsApi(Store store, SessionEvents sessionEvents) {
        this.store = store;
        this.sessionEvents = sessionEvents;
    }

    /** An event as extracted from a body, validated: nothing is written until all of it passed. */
    public record Incoming(String sessionId, String eventType, String toolName, String command, String eventUid,
                           SessionsStore.Upsert session, ObjectNode payload, Optional<String> machine) {
        public Incoming withCommand(String newCommand) {
            return new Incoming(sessionId, eventType, toolName, newCommand, eventUid, session, payload, machine);
        }

        /** The machine whose token posted it (team mode); empty for the install token. */
        public Incoming from(Optional<String> poster) {
            return new Incoming(sessionId, eventType, toolName, command, eventUid, session, payload, poster);
        }
    }

    public void post(Request req, Response res) throws Exception {
        var incoming = fromBody(req.jsonObject()).from(req.machine());
        var stored = ingest(incoming);
        var body = new LinkedHashMap<String, Object>();
        body.put("ok", true);
        if (stored.isEmpty()) body.put("duplicate", true);
        res.json(200, body);
    }

    public static Incoming fromBody(ObjectNode body) {
        var rawSid = Fields.firstText(body, "uvs_session_id", "session_id");
        var sid = rawSid == null ? null : Fields.sessionId(rawSid);
        var eventType = body.has("event_type") ? Fields.text(body, "event_type") : "Unknown";
        var uid = Fields.text(body, "wt_event_id");
        if (uid != null && (uid.isEmpty() || uid.length() > 128)) {
            throw watchtower.http.ApiError.unprocessable("wt_event_id must be 1-128 characters");
        }
        var claudeSid = Fields.text(body, "session_id");
        var session = sid == null ? null : new SessionsStore.Upsert(sid,
                Fields.firstText(body, "session_name", "name"),
                Fields.firstText(body, "session_kind", "kind"),
                Fields.firstText(body, "session_purpose", "purpose"),
                Fields.firstText(body, "session_priority", "priority"),
                Fields.firstText(body, "persona"),
                Fields.text(body, "cwd"),
                null, null, null, null, null,
                Fields.firstText(body, "agent"),
                "SessionStart".equals(eventType) ? Fields.firstText(body, "model") : null,
                claudeSid != null && !claudeSid.equals(sid) && Fields.isSessionId(claudeSid) ? claudeSid : null);
        return new Incoming(sid, eventType, Fields.text(body, "tool_name"), Fields.text(body, "command"), uid,
                session, body, Optional.empty());
    }

    /** Writes the event; empty if it was a duplicate. */
    public Optional<Long> ingest(Incoming in) {
        var stored = Stored.of(in);
        return store.writer().execute(in.sessionId(), tx -> write(tx, in, stored));
    }

    /** Queues the write and returns at once: for callers that must not wait (Claude Code's http hooks). */
    public java.util.concurrent.CompletableFuture<Optional<Long>> ingestAsync(Incoming in) {
        var stored = Stored.of(in);
        return store.writer().submit(in.sessionId(), tx -> write(tx, in, stored));
    }

    /** The event's stored payload and search text, made on the request's thread: the one writer only writes. */
    record Stored(String payloadJson, String searchText) {
        static Stored of(Incoming in) {
            return new Stored(PayloadCap.toStored(in.payload()),
                    SearchText.of(in.payload(), in.eventType(), in.toolName(), in.command()));
        }
    }

    Optional<Long> write(Tx tx, Incoming in, Stored stored) throws SQLException {
        var at = Time.now();
        SessionMachine.checkWrite(tx, in.machine(), in.sessionId());
        var id = store.events().append(tx, new EventsStore.NewEvent(in.sessionId(), in.eventType(),
                in.toolName(), in.command(), stored.payloadJson(), in.eventUid(), at, stored.searchText()));
        if (id.isEmpty()) return id;
        if (in.sessionId() != null) {
            var before = store.sessions().before(tx, in.sessionId());
            boolean wasTerminated = before.filter(SessionsStore.Before::terminated).isPresent();
            boolean created = store.sessions().upsertForEvent(tx, in.session(), before, in.toolName() != null, at);
            SessionMachine.stamp(tx, in.machine(), in.sessionId());
            if (in.eventType() != null) sessionEvents.apply(tx, in.sessionId(), in.eventType(), in.payload(), wasTerminated);
            if (created) {
                // dashboards learn of new sessions from "session" messages (the reference's only adds rows then)
                var msg = new LinkedHashMap<String, Object>();
                msg.put("type", "session");
                msg.put("session_id", in.sessionId());
                msg.put("session", store.sessions().find(tx, in.sessionId()).orElse(Map.of()));
                tx.broadcast(msg);
            }
        }
        tx.broadcast(eventMessage(id.get(), in, at));
        return id;
    }

    static Map<String, Object> eventMessage(long id, Incoming in, String at) {
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "event");
        msg.put("session_id", in.sessionId());
        msg.put("event_type", in.eventType());
        msg.put("tool_name", in.toolName());
        msg.put("command", in.command());
        msg.put("id", id);
        msg.put("created_at", at);
        return msg;
    }
}
