package watchtower.control;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.machines.SessionMachine;
import watchtower.store.SessionsStore;
import watchtower.store.Store;

/**
 * Starting agents: spawn a new session and fork an existing one, in tmux session
 * {@code uvs_<id>} on this machine or, for a session on another machine, through the agent
 * there. Only known tools and personas, only argument lists (see Spawner); the new session is
 * stored, labelled with its machine, and announced.
 */
final class Launches {
    private final Store store;
    private final Machine local;
    private final Function<String, Machine> remotes;
    private final TerminalOpener terminal;
    private final ControlOptions options;

    Launches(Store store, Machine local, Function<String, Machine> remotes, TerminalOpener terminal,
             ControlOptions options) {
        this.store = store;
        this.local = local;
        this.remotes = remotes;
        this.terminal = terminal;
        this.options = options;
    }

    /** POST /sessions/{id}/fork: a new agent in the parent's folder, with its persona, on its machine. */
    void fork(Map<String, Object> parent, Request req, Response res) throws Exception {
        var parentId = (String) parent.get("id");
        boolean open = req.query("open").map(v -> !v.equalsIgnoreCase("false") && !v.equals("0")
                && !v.equalsIgnoreCase("no") && !v.equalsIgnoreCase("off")).orElse(true);
        var tool = "codex".equals(parent.get("agent")) ? "codex" : "claude";
        var persona = parent.get("persona") instanceof String p && !p.isBlank() ? p : "professional";
        if (!AgentCommand.PERSONAS.contains(persona)) {
            throw ApiError.conflict("cannot fork: the parent's persona '" + clip(persona) + "' is not one of "
                    + String.join(", ", new java.util.TreeSet<>(AgentCommand.PERSONAS)));
        }
        boolean remote = MachineRouter.machineName(parent).isPresent();
        // the parent's cwd is a folder on its own machine: only that machine can resolve it
        var cwd = remote ? remoteCwd((String) parent.get("cwd")) : ProjectDir.root((String) parent.get("cwd"), "fork it");
        var parentName = parent.get("name") instanceof String n && !n.isEmpty() ? n
                : parentId.substring(0, Math.min(8, parentId.length()));
        var name = parentName + " (fork)";
        var child = newId();
        var target = new MachineRouter(local, remotes).of(parent).start(child, new Spawner.Launch(tool, persona, cwd, null, name, parentId));
        record(new SessionsStore.Upsert(child, name, null, null, null, persona, (String) parent.get("cwd"), null, null,
                null, target, parentId, tool, null, null), remote ? (String) parent.get("machine") : null);
        // a terminal opens on this machine, which cannot attach to another machine's tmux
        boolean opened = open && !remote && terminal.open(target, store.settings().get("terminal_app"));
        var out = new LinkedHashMap<String, Object>();
        out.put("id", child);
        out.put("name", name);
        out.put("tmux_target", target);
        out.put("parent_id", parentId);
        out.put("terminal_opened", opened);
        res.json(200, out);
    }

    /** POST /sessions/spawn: a new agent here, or on a named machine through its agent. */
    void spawn(Request req, Response res) throws Exception {
        var body = req.jsonObject();
        var tool = Fields.oneOf(body, "tool", AgentCommand.TOOLS, "claude");
        var persona = Fields.oneOf(body, "persona", AgentCommand.PERSONAS, "professional");
        var machineName = Fields.text(body, "machine");
        if (machineName != null && (machineName.isBlank() || machineName.length() > 128)) {
            throw ApiError.unprocessable("machine must be a machine's name");
        }
        var machine = machineName == null ? local : remotes.apply(machineName);
        var cwd = machineName == null ? ControlInput.cwd(body, options.defaultCwd()) : remoteSpawnCwd(body);
        var task = ControlInput.task(body);
        var id = newId();
        var target = machine.start(id, new Spawner.Launch(tool, persona, cwd, task, null, null));
        record(new SessionsStore.Upsert(id, null, null, null, null, persona, cwd.toString(), null, null, null, target,
                null, tool, null, null), machineName);
        var out = new LinkedHashMap<String, Object>();
        out.put("id", id);
        out.put("tmux_target", target);
        if (machineName != null) out.put("machine", machineName);
        res.json(200, out);
    }

    /** An absolute path, checked for existence by the machine that starts the agent. */
    private static Path remoteCwd(String cwd) {
        if (cwd == null || cwd.isBlank()) throw ApiError.conflict("session has no cwd; cannot fork it");
        try {
            var p = Path.of(cwd);
            if (p.isAbsolute()) return p;
        } catch (InvalidPathException e) {
            // falls through
        }
        throw ApiError.conflict("session cwd is not an absolute path; cannot fork it");
    }

    private static Path remoteSpawnCwd(com.fasterxml.jackson.databind.node.ObjectNode body) {
        var raw = Fields.requiredText(body, "cwd");
        try {
            var p = Path.of(raw);
            if (p.isAbsolute()) return p;
        } catch (InvalidPathException e) {
            // falls through
        }
        throw ApiError.unprocessable("cwd must be an absolute directory on that machine");
    }

    /** Stores a session we started; {@code machine} is where it runs (null: here). */
    private void record(SessionsStore.Upsert upsert, String machine) {
        store.writer().execute(tx -> {
            store.sessions().upsert(tx, upsert);
            // labelled in the same write: the new session's hooks post with that machine's token
            if (machine != null) SessionMachine.stamp(tx, Optional.of(machine), upsert.id());
            store.sessions().setState(tx, upsert.id(), "active", null);
            tx.broadcast(ControlApi.sessionMessage(upsert.id(), "active"));
            return null;
        });
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
