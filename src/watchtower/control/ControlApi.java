package watchtower.control;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import watchtower.approvals.Approvals;
import watchtower.approvals.ApprovalsApi;
import watchtower.approvals.HeldHooks;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Json;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.store.SessionsStore;
import watchtower.store.Store;

/**
 * The control endpoints, which act on real processes: checkpoint, close, compact, type input,
 * fork and spawn (see Launches), delete, cleanup and export. Keys only ever go to
 * {@code uvs_<id>} on our tmux socket, signals only to a pid tied to the session (Processes),
 * files only under the session's cwd (ProjectDir). Each checks everything it can before it acts,
 * so a refused request has changed nothing. A session whose {@code machine} column names another
 * machine is acted on through the `wtctl agent` there ({@code remotes}), which answers 503 while
 * no agent polls.
 */
public final class ControlApi {
    private static final System.Logger LOG = System.getLogger("watchtower.control");
    private final Store store;
    private final Approvals approvals;
    private final Machine local;
    private final Function<String, Machine> remotes;
    private final Checkpoints checkpoints;
    private final ApprovalsApi.Decider decider;
    private final Launches launches;

    private ControlApi(Store store, Approvals approvals, Machine local, Function<String, Machine> remotes,
                       TerminalOpener terminal, ControlOptions options, ApprovalsApi.Decider decider) {
        this.store = store;
        this.approvals = approvals;
        this.local = local;
        this.remotes = remotes;
        this.checkpoints = new Checkpoints(store);
        this.decider = decider;
        this.launches = new Launches(store, local, remotes, terminal, options);
    }

    /**
     * Builds the control plane; {@code host} and {@code port} are where spawned agents' hooks post,
     * {@code remotes} gives the Machine for a machine name (the agent link).
     */
    public static ControlApi create(Store store, Approvals approvals, HeldHooks held, ControlOptions options,
                                    String host, int port, String token, Function<String, Machine> remotes) {
        var local = LocalMachine.create(options, hookUrl(host, port), token);
        var router = new MachineRouter(local, remotes);
        var decider = new ApprovalActuator(store, held, sessionId -> store.sessions().find(sessionId).map(router::of)
                .orElse(local));
        return new ControlApi(store, approvals, local, remotes, new TerminalOpener(options), options, decider);
    }

    /** A control plane for this machine only: a session on another machine is 503. */
    public static ControlApi create(Store store, Approvals approvals, HeldHooks held, ControlOptions options,
                                    String host, int port, String token) {
        return create(store, approvals, held, options, host, port, token, name -> {
            throw ApiError.unavailable("machine " + name + " is offline: this server takes no `wtctl agent` connections");
        });
    }

    /** A wildcard bind is reached on loopback; an IPv6 literal needs brackets. */
    static String hookUrl(String host, int port) {
        var h = host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost") ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /** Held hook first, else keystrokes for sessions in our tmux, else nothing (see ApprovalActuator). */
    public ApprovalsApi.Decider decider() {
        return decider;
    }

    public void checkpoint(Request req, Response res) throws Exception {
        var session = session(req);
        if (isRemote(session)) throw ApiError.conflict(remoteCheckpoint(session));
        var path = checkpoints.write(session).toString();
        var id = (String) session.get("id");
        broadcast(checkpointMessage(id, path));
        res.json(200, Map.of("path", path));
    }

    public void close(Request req, Response res) throws Exception {
        var session = session(req);
        var id = (String) session.get("id");
        var machine = machine(session);
        var pid = session.get("pid") instanceof Number n ? n.longValue() : null;
        // decide how to stop it before writing anything, so a refused pid leaves no trace
        var via = machine.stopVia(id, pid);
        String checkpoint = null;
        String checkpointError = null;
        if (isRemote(session)) {
            checkpointError = remoteCheckpoint(session);
        } else {
            try {
                checkpoint = checkpoints.write(session).toString();
            } catch (ApiError e) {
                checkpointError = e.detail(); // closing matters more than the checkpoint: say why there is none
            }
        }
        machine.stop(id, pid, via);
        var written = checkpoint;
        store.writer().execute(tx -> {
            approvals.finishPending(tx, id, "expired", "closed");
            store.sessions().setState(tx, id, "terminated", null);
            store.sessions().setEndReason(tx, id, "closed");
            tx.broadcast(sessionMessage(id, "terminated"));
            if (written != null) tx.broadcast(checkpointMessage(id, written));
            return null;
        });
        var out = new LinkedHashMap<String, Object>();
        out.put("ok", true);
        out.put("checkpoint", checkpoint);
        out.put("terminated_via", via);
        if (checkpointError != null) out.put("checkpoint_error", checkpointError);
        res.json(200, out);
    }

    public void compact(Request req, Response res) throws Exception {
        var session = session(req);
        var id = (String) session.get("id");
        var machine = machine(session);
        checkOwned(machine, id, "run /compact in the terminal");
        checkNoPrompt(machine, id, "compacting");
        machine.typeLiteral(id, "/compact");
        machine.sendKeys(id, "Enter");
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "event");
        msg.put("session_id", id);
        msg.put("event_type", "Compact");
        broadcast(msg);
        res.json(200, Map.of("ok", true));
    }

    public void input(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        var text = ControlInput.typedText(req.jsonObject());
        var machine = machine(session(id));
        checkOwned(machine, id, "type in its terminal");
        checkNoPrompt(machine, id, "typing");
        if (!machine.typeLiteral(id, text) || !machine.sendKeys(id, "Enter")) {
            throw ApiError.conflict("the tmux session uvs_" + id + " went away while typing");
        }
        res.json(200, Map.of("ok", true));
    }

    public void fork(Request req, Response res) throws Exception {
        launches.fork(session(req), req, res);
    }

    public void spawn(Request req, Response res) throws Exception {
        launches.spawn(req, res);
    }

    public void delete(Request req, Response res) throws Exception {
        var session = session(req);
        var id = (String) session.get("id");
        var machine = machine(session);
        if (machine.has(id)) machine.kill(id); // first, so the session cannot register itself again
        store.writer().execute(tx -> {
            approvals.finishPending(tx, id, "expired", "deleted");
            store.sessions().delete(tx, id);
            var msg = new LinkedHashMap<String, Object>();
            msg.put("type", "session_deleted");
            msg.put("session_id", id);
            tx.broadcast(msg);
            return null;
        });
        var out = new LinkedHashMap<String, Object>();
        out.put("ok", true);
        out.put("deleted", id);
        res.json(200, out);
    }

    public void cleanup(Request req, Response res) throws Exception {
        var live = new HashSet<>(local.sessionNames());
        for (var id : store.sessions().allIds()) {
            if (Tmux.sessionName(id).filter(live::contains).isPresent()) local.kill(id);
        }
        killOnOtherMachines();
        int deleted = store.writer().execute(tx -> {
            for (var sid : store.approvals().pendingSessionIds(tx)) approvals.finishPending(tx, sid, "expired", "cleanup");
            int n = store.sessions().deleteAll(tx);
            tx.broadcast(Map.of("type", "cleanup"));
            return n;
        });
        var out = new LinkedHashMap<String, Object>();
        out.put("ok", true);
        out.put("deleted", deleted);
        res.json(200, out);
    }

    /** The session row, then its events oldest first, one JSON object per line. */
    public void export(Request req, Response res) throws Exception {
        var session = session(req);
        var id = (String) session.get("id");
        int limit = req.intParam("limit", 100_000, 1, 100_000);
        var out = new StringBuilder();
        var first = new LinkedHashMap<String, Object>();
        first.put("record", "session");
        first.putAll(session);
        out.append(Json.write(first)).append('\n');
        for (var event : store.events().forSessionChronological(id, limit)) {
            var line = new LinkedHashMap<String, Object>();
            line.put("record", "event");
            line.putAll(event);
            if (event.get("payload") instanceof String s) {
                try {
                    line.put("payload", Json.MAPPER.readTree(s));
                } catch (java.io.IOException e) {
                    // kept as the stored text
                }
            }
            out.append(Json.write(line)).append('\n');
        }
        res.header("Content-Disposition", "attachment; filename=\"watchtower-session-" + id + ".jsonl\"");
        res.text(200, "application/x-ndjson; charset=utf-8", out.toString());
    }

    // --- helpers ---

    private Map<String, Object> session(Request req) {
        return session(Fields.sessionIdInPath(req.path("id")));
    }

    private Map<String, Object> session(String id) {
        return store.sessions().find(id).orElseThrow(() -> ApiError.notFound("session " + id + " not found"));
    }

    private Machine machine(Map<String, Object> session) {
        return new MachineRouter(local, remotes).of(session);
    }

    private static boolean isRemote(Map<String, Object> session) {
        return MachineRouter.machineName(session).isPresent();
    }

    private static String remoteCheckpoint(Map<String, Object> session) {
        return "session runs on machine " + MachineRouter.machineName(session).orElse("?")
                + "; checkpoints are written only for sessions on the server's own machine";
    }

    /**
     * Cleanup on the other machines: their sessions' tmux sessions are killed through agents that
     * are connected; an offline machine keeps its (its rows go all the same, as the user asked).
     */
    private void killOnOtherMachines() {
        var byMachine = new java.util.TreeMap<String, java.util.List<String>>();
        for (var row : store.sessions().list(SessionsStore.Filter.ALL, 100_000, 0)) {
            MachineRouter.machineName(row).ifPresent(m -> byMachine.computeIfAbsent(m, k -> new java.util.ArrayList<>())
                    .add((String) row.get("id")));
        }
        byMachine.forEach((name, ids) -> {
            try {
                var machine = remotes.apply(name);
                var live = new HashSet<>(machine.sessionNames());
                for (var id : ids) if (Tmux.sessionName(id).filter(live::contains).isPresent()) machine.kill(id);
            } catch (ApiError e) {
                LOG.log(System.Logger.Level.INFO, "cleanup: tmux sessions on machine " + name + " left running: " + e.detail());
            }
        });
    }

    private void checkOwned(Machine machine, String id, String instead) {
        if (!machine.has(id)) {
            throw ApiError.badRequest("session not owned by Watchtower (no tmux session uvs_" + id + "); " + instead);
        }
    }

    /** Typing while the permission widget is up would answer it: "1" or Enter approves. */
    private void checkNoPrompt(Machine machine, String id, String what) {
        var pending = store.approvals().pendingFor(id);
        if (pending.isPresent() && answeredInTheTerminal(machine, id, pending.get())) {
            // Escape in the terminal fires no hook: the prompt is gone, so its approval is stale
            store.writer().execute(tx -> approvals.finishPending(tx, id, "resolved", "prompt_left_pane"));
            pending = java.util.Optional.empty();
        }
        if (pending.isPresent()) {
            throw ApiError.conflict("session " + id + " is waiting on approval " + pending.get().get("id")
                    + "; decide it before " + what + " (keys now would answer the permission prompt)");
        }
        if (machine.capture(id).filter(PermissionWidget::shown).isPresent()) {
            throw ApiError.conflict("session " + id + " shows a permission prompt; answer it before " + what);
        }
    }

    /**
     * A pending approval whose widget is not on the pane: the person answered it there. Only for
     * one older than {@link #WIDGET_SETTLE_SECONDS}: a fresh one's widget may not be drawn yet,
     * and text typed into a widget would answer it.
     */
    private boolean answeredInTheTerminal(Machine machine, String id, Map<String, Object> approval) {
        var created = approval.get("created_at") instanceof String c ? c : null;
        if (created == null) return false;
        try {
            var at = java.time.LocalDateTime.parse(created.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC);
            if (at.isAfter(java.time.Instant.now().minusSeconds(WIDGET_SETTLE_SECONDS))) return false;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
        return machine.capture(id).map(pane -> !PermissionWidget.shown(pane)).orElse(false);
    }

    static final int WIDGET_SETTLE_SECONDS = 3;

    private void broadcast(Map<String, Object> message) {
        store.writer().execute(tx -> {
            tx.broadcast(message);
            return null;
        });
    }

    static Map<String, Object> sessionMessage(String id, String state) {
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "session");
        msg.put("session_id", id);
        msg.put("state", state);
        return msg;
    }

    private static Map<String, Object> checkpointMessage(String id, String path) {
        var msg = new LinkedHashMap<String, Object>();
        msg.put("type", "checkpoint");
        msg.put("session_id", id);
        msg.put("path", path);
        return msg;
    }

}
