package watchtower.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Json;

/**
 * The closed set of commands the server sends to a `wtctl agent`, as JSON objects
 * ({@code {"op": "type", "session_id": "...", "text": "..."}}), and their results. Never a
 * shell string: each op names one Machine method, and {@link #check} refuses anything else
 * (an unknown op, a session id that is not {@code uvs_<id>}-able, a key outside {@link #KEYS},
 * control characters in typed text, a relative cwd). Both sides call it: the server before it
 * queues a command, the agent again before it runs one, so a hostile or corrupted queue
 * cannot make an agent act outside these rules.
 */
public final class MachineOps {
    /** The only key names ever sent: Enter (input, compact). Approvals go through ANSWER, which picks its own keys. */
    public static final Set<String> KEYS = Set.of("Enter");
    public static final Set<String> OPS = Set.of("has", "capture", "type", "keys", "kill", "list", "answer",
            "stop_via", "stop", "start");
    private static final Set<String> VIAS = Set.of("tmux", "pid", "pid_gone");
    private static final int MAX_NAME = 200;

    private MachineOps() {}

    // --- commands, as the server builds them ---

    public static ObjectNode has(String sessionId) {
        return op("has", sessionId);
    }

    public static ObjectNode capture(String sessionId) {
        return op("capture", sessionId);
    }

    public static ObjectNode type(String sessionId, String text) {
        return op("type", sessionId).put("text", text);
    }

    public static ObjectNode keys(String sessionId, String... keys) {
        var c = op("keys", sessionId);
        var array = c.putArray("keys");
        for (var k : keys) array.add(k);
        return c;
    }

    public static ObjectNode kill(String sessionId) {
        return op("kill", sessionId);
    }

    public static ObjectNode list() {
        return Json.MAPPER.createObjectNode().put("op", "list");
    }

    public static ObjectNode answer(String sessionId, boolean approve, Optional<Instant> createdAt) {
        var c = op("answer", sessionId).put("approve", approve);
        createdAt.ifPresent(t -> c.put("created_at_ms", t.toEpochMilli()));
        return c;
    }

    public static ObjectNode stopVia(String sessionId, Long pid) {
        var c = op("stop_via", sessionId);
        if (pid != null) c.put("pid", pid);
        return c;
    }

    public static ObjectNode stop(String sessionId, Long pid, String via) {
        var c = op("stop", sessionId);
        if (pid != null) c.put("pid", pid);
        if (via != null) c.put("via", via);
        return c;
    }

    public static ObjectNode start(String sessionId, Spawner.Launch l) {
        var c = op("start", sessionId).put("tool", l.tool()).put("persona", l.persona()).put("cwd", l.cwd().toString());
        if (l.task() != null) c.put("task", l.task());
        if (l.name() != null) c.put("name", l.name());
        if (l.parentId() != null) c.put("parent_id", l.parentId());
        return c;
    }

    private static ObjectNode op(String op, String sessionId) {
        return Json.MAPPER.createObjectNode().put("op", op).put("session_id", sessionId);
    }

    // --- checking and running, on both sides ---

    /** Refuses (422) a command outside the closed set; returns its op. Looks at nothing on this machine. */
    public static String check(ObjectNode c) {
        var op = Fields.text(c, "op");
        if (op == null || !OPS.contains(op)) throw ApiError.unprocessable("unknown op; expected one of " + new java.util.TreeSet<>(OPS));
        if (op.equals("list")) return op;
        sessionId(c);
        switch (op) {
            case "type" -> ControlInput.typedText(c);
            case "keys" -> keyNames(c);
            case "answer" -> {
                if (!c.path("approve").isBoolean()) throw ApiError.unprocessable("approve must be true or false");
                Fields.integer(c, "created_at_ms");
            }
            case "stop_via" -> pid(c);
            case "stop" -> {
                pid(c);
                var via = Fields.text(c, "via");
                if (via != null && !VIAS.contains(via)) throw ApiError.unprocessable("via must be one of " + new java.util.TreeSet<>(VIAS));
            }
            case "start" -> launchFields(c);
            default -> { }
        }
        return op;
    }

    /** Checks {@code c} and runs it on {@code machine}: what `wtctl agent` does with each command. */
    public static ObjectNode run(ObjectNode c, Machine machine) {
        var op = check(c);
        var out = Json.MAPPER.createObjectNode();
        if (op.equals("list")) {
            var names = out.putArray("sessions");
            machine.sessionNames().forEach(names::add);
            return out;
        }
        var id = sessionId(c);
        switch (op) {
            case "has" -> out.put("has", machine.has(id));
            case "capture" -> out.put("pane", machine.capture(id).orElse(null));
            case "type" -> out.put("sent", machine.typeLiteral(id, ControlInput.typedText(c)));
            case "keys" -> out.put("sent", machine.sendKeys(id, keyNames(c)));
            case "kill" -> out.put("killed", machine.kill(id));
            case "answer" -> {
                var at = Optional.ofNullable(Fields.integer(c, "created_at_ms")).map(Instant::ofEpochMilli);
                out.put("answered", machine.answer(id, c.get("approve").booleanValue(), at));
            }
            case "stop_via" -> out.put("via", machine.stopVia(id, pid(c)));
            case "stop" -> {
                machine.stop(id, pid(c), Fields.text(c, "via"));
                out.put("stopped", true);
            }
            case "start" -> out.put("tmux_target", machine.start(id, launch(c)));
            default -> throw new IllegalStateException(op);
        }
        return out;
    }

    /** A session id that names {@code uvs_<id>}: the only tmux target an agent ever addresses. */
    private static String sessionId(ObjectNode c) {
        var id = Fields.text(c, "session_id");
        if (id == null || Tmux.sessionName(id).isEmpty()) {
            throw ApiError.unprocessable("session_id must be 1-128 letters, digits, '_' or '-'");
        }
        return id;
    }

    private static String[] keyNames(ObjectNode c) {
        JsonNode keys = c.get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty() || keys.size() > 4) {
            throw ApiError.unprocessable("keys must be a list of 1-4 key names");
        }
        var out = new String[keys.size()];
        for (int i = 0; i < out.length; i++) {
            var k = keys.get(i);
            if (!k.isTextual() || !KEYS.contains(k.textValue())) {
                throw ApiError.unprocessable("keys may only be " + new java.util.TreeSet<>(KEYS));
            }
            out[i] = k.textValue();
        }
        return out;
    }

    private static Long pid(ObjectNode c) {
        var pid = Fields.integer(c, "pid");
        if (pid != null && pid <= 1) throw ApiError.unprocessable("pid must be above 1");
        return pid;
    }

    /**
     * A launch's fields: known tool and persona, an absolute cwd, a safe task and name. Only the
     * machine that starts it can tell whether the cwd exists, so {@link #launch} checks that there.
     */
    private static Spawner.Launch launchFields(ObjectNode c) {
        var tool = Fields.oneOf(c, "tool", AgentCommand.TOOLS, null);
        var persona = Fields.oneOf(c, "persona", AgentCommand.PERSONAS, null);
        var raw = Fields.requiredText(c, "cwd");
        Path cwd;
        try {
            cwd = Path.of(raw);
        } catch (java.nio.file.InvalidPathException e) {
            throw ApiError.unprocessable("cwd must be an absolute path");
        }
        if (!cwd.isAbsolute()) throw ApiError.unprocessable("cwd must be an absolute path");
        var task = ControlInput.task(c);
        var name = Fields.text(c, "name");
        if (name != null && (name.length() > MAX_NAME || name.codePoints().anyMatch(Character::isISOControl))) {
            throw ApiError.unprocessable("name must be at most " + MAX_NAME + " characters without control characters");
        }
        var parent = Fields.text(c, "parent_id");
        if (parent != null && !Fields.isSessionId(parent)) throw ApiError.unprocessable("parent_id is not a session id");
        return new Spawner.Launch(tool, persona, cwd, task, name, parent);
    }

    /** The launch to run here: its cwd must be an existing directory on this machine (as its real path). */
    private static Spawner.Launch launch(ObjectNode c) {
        var l = launchFields(c);
        var cwd = ControlInput.cwd(c, null);
        return new Spawner.Launch(l.tool(), l.persona(), cwd, l.task(), l.name(), l.parentId());
    }
}
