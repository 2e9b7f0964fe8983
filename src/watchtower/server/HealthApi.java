package watchtower.server;

import java.util.LinkedHashMap;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.store.Store;

/**
 * GET /health: up, which version, and how many stored events SQLite's search index has yet to
 * take in (0 once it has caught up; after a first start on a large history it counts down).
 */
final class HealthApi {
    private final Store store;

    HealthApi(Store store) {
        this.store = store;
    }

    void get(Request req, Response res) throws Exception {
        var body = new LinkedHashMap<String, Object>();
        body.put("status", "ok");
        body.put("version", Version.VALUE);
        body.put("search_backlog", store.searchBacklog());
        res.json(200, body);
    }
}
