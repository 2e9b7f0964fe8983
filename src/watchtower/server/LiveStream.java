package watchtower.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import watchtower.http.Access;
import watchtower.http.ApiError;
import watchtower.http.HandlerExecutor;
import watchtower.http.Json;
import watchtower.http.Router;
import watchtower.websocket.Hub;
import watchtower.websocket.HubConfig;
import watchtower.websocket.RawStreams;

/**
 * GET /live: the WebSocket every dashboard holds. The writer calls {@link #publish} with each
 * commit's messages, in commit order; the hub only queues, so ingest never waits on a browser.
 * A new client is registered before its snapshot is read, so it misses nothing in between.
 */
final class LiveStream implements AutoCloseable {
    private final Hub hub;
    private final Optional<String> unavailable = RawStreams.problem();
    private volatile Supplier<List<Map<String, Object>>> sessions = List::of;

    LiveStream(HubConfig config) {
        this.hub = new Hub(config);
    }

    void attachSnapshot(Supplier<List<Map<String, Object>>> sessions) {
        this.sessions = sessions;
    }

    /** One commit's messages, in order. */
    void publish(List<Object> messages) {
        // Nobody to tell: skip the JSON. A client registering now reads its snapshot after this
        // commit, so it misses nothing (see the class comment).
        if (hub.clientCount() == 0) return;
        hub.broadcastAll(messages.stream().map(Json::write).toList());
    }

    /** Messages already encoded: a commit's that this instance also relays, or one relayed from another instance. */
    void publishJson(List<String> jsons) {
        if (hub.clientCount() > 0) hub.broadcastAll(jsons);
    }

    /** Why /live cannot work on this JVM (the --add-opens line is missing), if it cannot. */
    Optional<String> problem() {
        return unavailable;
    }

    void register(Router router) {
        router.get("/live", Access.CONTROL, (req, res) -> {
            if (unavailable.isPresent()) throw ApiError.unavailable("live stream unavailable: " + unavailable.get());
            res.handedOver();
            HandlerExecutor.holdsThread(); // a WebSocket holds this thread for its life: not a busy server
            hub.accept(req.exchange(), this::snapshot);
        });
    }

    private String snapshot() {
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "snapshot");
        msg.put("sessions", sessions.get());
        return Json.write(msg);
    }

    int clientCount() {
        return hub.clientCount();
    }

    @Override
    public void close() {
        hub.close();
    }
}
