package watchtower.server;

import static watchtower.http.Access.CONTROL;
import static watchtower.http.Access.INGEST;
import static watchtower.http.Access.OPEN;
import static watchtower.http.Access.READ;

import watchtower.http.Router;

/** The whole HTTP API on one page: path, who may call it, and the handler. */
final class Routes {
    private Routes() {}

    static void register(Router r, Parts p) {
        // ingest: what hooks and launchers post (reference-compatible)
        r.post("/events", INGEST, p.events()::post);
        r.post("/sessions/register", INGEST, p.registration()::post);
        r.post("/approvals", INGEST, p.approvalsApi()::create);
        r.post("/sessions/{id}/state", INGEST, p.updates()::state);
        r.post("/sessions/{id}/tokens", INGEST, p.updates()::tokens);
        r.post("/hooks/claude", INGEST, p.claudeHooks()::post);

        // queries the dashboard loads
        r.get("/sessions", READ, p.sessions()::list);
        r.get("/sessions/{id}", READ, p.sessions()::one);
        r.get("/sessions/{id}/events", READ, p.sessions()::events);
        r.get("/sessions/{id}/artifacts", READ, p.files()::artifacts);
        r.get("/sessions/{id}/checkpoints", READ, p.files()::checkpoints);
        r.get("/sessions/{id}/checkpoints/{name}", READ, p.files()::checkpoint);
        r.get("/events", READ, p.sessions()::recentEvents);
        r.get("/events/search", READ, p.sessions()::search);
        r.get("/approvals", READ, p.sessions()::approvals);

        // control: decisions and settings
        r.post("/approvals/{id}/decide", CONTROL, p.approvalsApi()::decide);
        r.get("/settings", READ, p.settings()::get);
        r.post("/settings", CONTROL, p.settings()::post);
        r.post("/auth/session", CONTROL, p.auth()::startSession);

        // control: acting on sessions (tmux keys, signals, files under the session's cwd)
        r.post("/sessions/spawn", CONTROL, p.control()::spawn);
        r.post("/sessions/cleanup", CONTROL, p.control()::cleanup);
        r.post("/sessions/{id}/checkpoint", CONTROL, p.control()::checkpoint);
        r.post("/sessions/{id}/close", CONTROL, p.control()::close);
        r.post("/sessions/{id}/compact", CONTROL, p.control()::compact);
        r.post("/sessions/{id}/input", CONTROL, p.control()::input);
        r.post("/sessions/{id}/fork", CONTROL, p.control()::fork);
        r.delete("/sessions/{id}", CONTROL, p.control()::delete);
        r.get("/sessions/{id}/export", CONTROL, p.control()::export);

        // team mode: machines whose agents post with their own token (install token only)
        r.post("/machines", CONTROL, p.machines()::create);
        r.get("/machines", READ, p.machines()::list);
        r.delete("/machines/{name}", CONTROL, p.machines()::revoke);
        // a machine's `wtctl agent` polls for control commands and posts their results (machine token only)
        r.get("/agent/next", INGEST, p.agent()::next);
        r.post("/agent/results", INGEST, p.agent()::results);

        // health and the dashboard
        r.get("/health", OPEN, p.health()::get);
        r.fallbackGet(path -> path.equals("/") || path.equals("/index.html") || path.startsWith("/static/"),
                p.staticFiles());
    }
}
