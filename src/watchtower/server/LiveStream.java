package watchtower.server;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import watchtower.http.Router;

/** The /live stream: committed changes go out to every connected dashboard. (WebSocket wiring pending.) */
final class LiveStream implements AutoCloseable {
    private volatile Supplier<List<Map<String, Object>>> snapshot;

    void attachSnapshot(Supplier<List<Map<String, Object>>> sessions) {
        this.snapshot = sessions;
    }

    void publish(Object message) {
        // no listeners yet
    }

    void register(Router router) {
        // /live is added with the WebSocket hub
    }

    @Override
    public void close() {
    }
}
