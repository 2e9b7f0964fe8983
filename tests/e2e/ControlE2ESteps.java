package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static watchtower.testing.Api.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import watchtower.testing.Api;
import watchtower.testing.Repo;
import watchtower.testing.TestServer;

/**
 * The steps ControlE2ETest's scenarios share that hold no state of a test: a git project, the
 * reference's bash hooks wired into it, deciding and watching approvals, reading what the fake
 * API was sent, and polling with the scenario's deadline.
 */
final class ControlE2ESteps {
    private ControlE2ESteps() {}

    static final ObjectMapper JSON = new ObjectMapper();
    /** How long one agent turn may take on a loaded machine. */
    static final Duration TURN = Duration.ofSeconds(45);

    /**
     * The reference's bash hooks in the project's .claude/hooks, wired as its professional
     * persona wires them (send on every event, notify on PermissionRequest and Notification,
     * tokens on Stop, end on SessionEnd); returns the settings file.
     */
    static Path referenceHooks(Path project) throws Exception {
        var hooks = Files.createDirectories(project.resolve(".claude/hooks"));
        try (var files = Files.list(Repo.root().resolve("tests/fixtures/reference-hooks"))) {
            for (var f : files.filter(p -> p.toString().endsWith(".sh")).toList()) {
                var copy = hooks.resolve(f.getFileName().toString());
                Files.copy(f, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
            }
        }
        var root = JSON.createObjectNode();
        root.putObject("permissions").put("defaultMode", "default");
        var byEvent = root.putObject("hooks");
        var send = "\"$CLAUDE_PROJECT_DIR\"/.claude/hooks/watchtower-send.sh ";
        var notify = "\"$CLAUDE_PROJECT_DIR\"/.claude/hooks/watchtower-notify.sh";
        for (var event : List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolUseFailure")) {
            addHooks(byEvent, event, List.of(send + event), true);
        }
        addHooks(byEvent, "PermissionRequest", List.of(send + "PermissionRequest", notify), true);
        addHooks(byEvent, "Notification", List.of(send + "Notification", notify), true);
        addHooks(byEvent, "Stop", List.of(send + "Stop", "\"$CLAUDE_PROJECT_DIR\"/.claude/hooks/watchtower-tokens.sh"), false);
        addHooks(byEvent, "SessionEnd", List.of("\"$CLAUDE_PROJECT_DIR\"/.claude/hooks/watchtower-end.sh"), false);
        var settings = project.resolveSibling("reference-hooks.json");
        Files.writeString(settings, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), UTF_8);
        return settings;
    }

    static void addHooks(com.fasterxml.jackson.databind.node.ObjectNode byEvent, String event,
                                 List<String> commands, boolean async) {
        var list = byEvent.putArray(event).addObject().put("matcher", "*").putArray("hooks");
        for (var c : commands) {
            var hook = list.addObject().put("type", "command").put("command", c).put("timeout", 5);
            if (async) hook.put("async", true);
        }
    }

    /** A git repository with one commit on main, as its real path (what Claude Code reports as cwd). */
    static Path gitProject(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("README.md"), "# e2e project\n");
        git(dir, "init", "-q", "-b", "main");
        git(dir, "add", "README.md");
        git(dir, "commit", "-q", "-m", "initial commit");
        return dir.toRealPath();
    }

    static void git(Path dir, String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=e2e",
                "-c", "user.email=e2e@example.invalid", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "git " + args[0] + " hung");
        assertEquals(0, p.exitValue(), "git " + String.join(" ", args) + ": " + out);
    }

    static Api.Reply decide(TestServer on, JsonNode approval, String decision, String message) {
        var body = obj("decision", decision, "decided_by", "e2e");
        if (message != null) body.put("message", message);
        return on.api().post("/approvals/" + approval.path("id").asLong() + "/decide", body);
    }

    static String approvalStatus(TestServer on, JsonNode approval) {
        for (var a : on.api().getWithoutToken("/approvals?status=all").json()) {
            if (a.path("id").asLong() == approval.path("id").asLong()) return a.path("status").asText();
        }
        throw new AssertionError("approval " + approval.path("id") + " is gone");
    }

    static String awaitApprovalStatus(TestServer on, JsonNode approval, String status) throws InterruptedException {
        return awaitApprovalStatus(on, approval, status::equals);
    }

    static String awaitApprovalStatus(TestServer on, JsonNode approval, Predicate<String> wanted) throws InterruptedException {
        return poll(() -> {
            var s = approvalStatus(on, approval);
            return wanted.test(s) ? s : null;
        }, "approval " + approval.path("id") + " to leave pending (now " + approvalStatus(on, approval) + ")");
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event_type").asText()).toList();
    }

    static void assertInOrder(List<String> actual, String... expected) {
        int at = -1;
        for (var e : expected) {
            int next = actual.subList(at + 1, actual.size()).indexOf(e);
            assertTrue(next >= 0, e + " missing after position " + at + " in " + actual);
            at += next + 1;
        }
    }

    static List<JsonNode> lastToolResults(List<FakeAnthropicApi.Exchange> exchanges) {
        var out = new ArrayList<JsonNode>();
        for (var e : exchanges) if (e.answer().isPresent()) out.addAll(FakeAnthropicApi.lastToolResults(e.body()));
        return out;
    }

    /** The text of the request's last user message (a string, or its text blocks joined). */
    static String lastUserText(JsonNode request) {
        var messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            var m = messages.get(i);
            if (!m.path("role").asText().equals("user")) continue;
            var content = m.path("content");
            if (content.isTextual()) return content.textValue();
            var b = new StringBuilder();
            for (var block : content) if (block.path("type").asText().equals("text")) b.append(block.path("text").asText());
            return b.toString();
        }
        return "";
    }

    static <T> T poll(Supplier<T> probe, String what) throws InterruptedException {
        long end = System.nanoTime() + TURN.toNanos();
        while (System.nanoTime() < end) {
            var v = probe.get();
            if (v != null) return v;
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("not within " + TURN.toSeconds() + " s: " + what);
    }
}
