///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.xerial:sqlite-jdbc:3.54.1.0
//DEPS org.postgresql:postgresql:42.7.14
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0
//JAVA_OPTIONS --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED
//SOURCES ../src/watchtower/core/*.java
//SOURCES ../src/watchtower/http/*.java
//SOURCES ../src/watchtower/store/*.java
//SOURCES ../src/watchtower/security/*.java
//SOURCES ../src/watchtower/websocket/*.java
//SOURCES ../src/watchtower/tokens/*.java
//SOURCES ../src/watchtower/approvals/*.java
//SOURCES ../src/watchtower/ingest/*.java
//SOURCES ../src/watchtower/sessions/*.java
//SOURCES ../src/watchtower/control/*.java
//SOURCES ../src/watchtower/settings/*.java
//SOURCES ../src/watchtower/machines/*.java
//SOURCES ../src/watchtower/agent/*.java
//SOURCES ../src/watchtower/team/*.java
//SOURCES ../src/watchtower/server/*.java
//SOURCES ../src/watchtower/install/*.java
//SOURCES ../tests/e2e/TmuxServer.java
//SOURCES ../tests/e2e/UvsClaude.java
//SOURCES ../tests/e2e/Marked.java
//SOURCES ../tests/e2e/FakeAnthropicApi.java
//SOURCES Latencies.java
//DESCRIPTION Approval latency with the real Claude Code: POST /approvals/{id}/decide to the tool running, hook path and keystroke path. Example: ./jbang bench/ApprovalLatency.java --approvals 20

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.e2e.FakeAnthropicApi;
import watchtower.e2e.FakeAnthropicApi.Turn;
import watchtower.e2e.TmuxServer;
import watchtower.e2e.UvsClaude;
import watchtower.install.HooksInstaller;
import watchtower.server.Server;

/**
 * How long a decision takes to reach the agent: from sending POST /approvals/{id}/decide to the
 * tool's file appearing, with the real Claude Code in tmux ({@code uvs_<id>}) and a fake Messages
 * API that answers each prompt "create file-N" with a Bash {@code touch}. Three ways: the hook path
 * (the professional persona's http hooks; the held PermissionRequest answer), and the keystroke path
 * (the reference's bash hooks; the server types into the pane) decided the moment the approval
 * shows, and decided once the prompt has been up a few seconds, as a person reading it would. The
 * servers run in this JVM on a private tmux socket. A decision whose tool never ran is counted as
 * missed, answered in the terminal so the run goes on, and left out of the percentiles.
 */
@Command(name = "ApprovalLatency", mixinStandardHelpOptions = true,
        description = "Time from POST /approvals/{id}/decide to the tool running, per approval path.")
public class ApprovalLatency implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(ProxySelector.of(null))
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern FILE = Pattern.compile("file-(\\d+)");
    private static final Duration TURN = Duration.ofSeconds(60);
    /** How long a tool may take to run after the decision before it counts as missed. */
    private static final Duration RUNS = Duration.ofSeconds(10);

    @Option(names = "--approvals", defaultValue = "20", description = "Approvals per path (default: ${DEFAULT-VALUE})")
    int approvals;

    @Option(names = "--paths", split = ",", defaultValue = "hook,keys,keys-settled",
            description = "Which paths: hook, keys, keys-settled (default: ${DEFAULT-VALUE})")
    List<String> paths;

    @Option(names = "--read-ms", defaultValue = "3000",
            description = "keys-settled: how long the prompt is up before the decision (default: ${DEFAULT-VALUE})")
    long readMs;

    record Row(String path, String how, Latencies toolRan, Latencies request, int missed) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ApprovalLatency()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        var binary = UvsClaude.binary();
        if (binary.isEmpty()) {
            System.err.println("Claude Code " + UvsClaude.VERSION + " is not installed: run .ci/npm-tools.sh or set WATCHTOWER_CLAUDE_BIN");
            return 1;
        }
        for (var program : List.of("tmux", "curl", "jq")) {
            if (!onPath(program)) {
                System.err.println(program + " is not installed (needed by the sessions and the reference hooks)");
                return 1;
            }
        }
        for (var p : paths) {
            if (!List.of("hook", "keys", "keys-settled").contains(p)) {
                System.err.println("unknown path '" + p + "' (hook, keys, keys-settled)");
                return 2;
            }
        }
        var repo = repoRoot();
        var work = Files.createTempDirectory("wt-approval-latency");
        var rows = new ArrayList<Row>();
        try (var tmux = new TmuxServer()) {
            for (var path : paths) {
                System.err.println("measuring " + path + " (" + approvals + " approvals)...");
                rows.add(measure(path, tmux, binary.get(), repo, work.resolve(path)));
            }
        } finally {
            deleteTree(work);
        }
        print(rows);
        return 0;
    }

    private Row measure(String path, TmuxServer tmux, Path binary, Path repo, Path dir) throws Exception {
        var project = Files.createDirectories(dir.resolve("project")).toRealPath();
        System.setProperty("watchtower.tmux.socket", tmux.socket());
        Server server;
        try {
            server = Server.start(new Config("127.0.0.1", 0, new DbTarget.SqliteFile(dir.resolve("watchtower.db")), dir.resolve("uvs"),
                    Optional.empty(), List.of(), 0));
        } finally {
            System.clearProperty("watchtower.tmux.socket");
        }
        var sid = "bench-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        var toolRan = new Latencies();
        var request = new Latencies();
        int missed = 0;
        long lastId = 0;
        try (var api = FakeAnthropicApi.start(req -> answer(req, project))) {
            var token = server.secret().value();
            UvsClaude claude;
            if (path.equals("hook")) {
                var settings = dir.resolve("professional.json");
                Files.writeString(settings, HooksInstaller.personaFor(repo.resolve("personas/professional.json"), server.url()));
                claude = UvsClaude.start(tmux, sid, binary, dir.resolve("home"), project, api.url(),
                        Map.of("UVS_SESSION_ID", sid, "UVS_TOKEN", token),
                        List.of("--settings", settings.toString(), "--permission-mode", "manual"));
            } else {
                var settings = referenceHooks(repo, project);
                // the reference hooks send no token: register without one too, or tokenless ingest would end
                var registered = post(server.url(), "/sessions/register", Map.of("id", sid,
                        "tmux_target", UvsClaude.target(sid), "cwd", project.toString()), null);
                if (registered.statusCode() != 200) throw new IllegalStateException("register: " + registered.body());
                claude = UvsClaude.start(tmux, sid, binary, dir.resolve("home"), project, api.url(),
                        Map.of("UVS_SESSION_ID", sid, "UVS_WATCHTOWER_URL", server.url()),
                        List.of("--settings", settings.toString()));
            }
            try (claude) {
                for (int i = 0; i < approvals; i++) {
                    var file = project.resolve("file-" + i);
                    claude.prompt("create file-" + i);
                    JsonNode approval;
                    try {
                        approval = awaitPendingApproval(server.url(), sid, lastId);
                    } catch (IllegalStateException e) {
                        throw new IllegalStateException(e.getMessage() + "; the pane:\n" + claude.screen().strip());
                    }
                    lastId = approval.path("id").asLong();
                    if (path.equals("keys-settled")) pause(Duration.ofMillis(readMs)); // a person reading the prompt
                    var appeared = watch(file);
                    long t0 = System.nanoTime();
                    var reply = post(server.url(), "/approvals/" + approval.path("id").asLong() + "/decide",
                            Map.of("decision", "approve", "decided_by", "bench"), token);
                    request.add(System.nanoTime() - t0);
                    // the server says whether it carried the answer; if not, the tool has little reason to run
                    var wait = reply.body().contains("\"actuated\":true") ? RUNS : Duration.ofSeconds(2);
                    Long at = null;
                    try {
                        at = appeared.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        appeared.cancel(true);
                    }
                    if (at != null && reply.statusCode() == 200) {
                        toolRan.add(at - t0);
                    } else {
                        missed++;
                        System.err.println("  approval " + approval.path("id") + ": the tool did not run ("
                                + reply.body() + "); answering in the terminal");
                        approveInTerminal(claude, file);
                    }
                    awaitStops(server.url(), sid, i + 1);
                }
            }
        } finally {
            server.close();
        }
        var how = switch (path) {
            case "hook" -> "http hooks, held PermissionRequest answered";
            case "keys" -> "reference bash hooks, keys typed; decided at once";
            default -> "reference bash hooks, keys typed; decided after " + readMs + " ms";
        };
        return new Row(path, how, toolRan, request, missed);
    }

    private void print(List<Row> rows) {
        var out = System.out;
        out.println();
        out.println("Approval latency: POST /approvals/{id}/decide sent -> the tool's file exists");
        out.println("(real Claude Code " + UvsClaude.VERSION + " in tmux, " + approvals + " approvals per path,"
                + " nearest-rank percentiles: with 20 samples p99 is the slowest)");
        out.println();
        out.printf("%-13s %3s %9s %9s %9s %14s %7s  %s%n", "path", "n", "p50 ms", "p99 ms", "max ms", "decide p50 ms",
                "missed", "how");
        for (var r : rows) {
            out.printf("%-13s %3d %9.0f %9.0f %9.0f %14.0f %7d  %s%n", r.path(), r.toolRan().count(), r.toolRan().p50(),
                    r.toolRan().p99(), r.toolRan().maxMs(), r.request().p50(), r.missed(), r.how());
        }
        rows.stream().filter(r -> r.path().equals("hook")).findFirst().ifPresent(r -> out.println(
                "\ntarget: hook path p50 <= 300 ms: " + (r.toolRan().count() > 0 && r.toolRan().p50() <= 300 ? "met" : "NOT met")
                        + " (" + String.format("%.0f", r.toolRan().p50()) + " ms)"));
        out.println("'decide' is the POST's own round trip: the keystroke path answers only once the keys have landed.");
    }

    // --- the session ---

    /** The last user message "create file-N" gets a Bash touch of that file; the tool's result, a short text. */
    private static Turn answer(JsonNode request, Path project) {
        var messages = request.path("messages");
        JsonNode last = JSON.nullNode();
        for (int i = messages.size() - 1; i >= 0 && last.isNull(); i--) {
            if (messages.get(i).path("role").asText().equals("user")) last = messages.get(i); // system notes may follow it
        }
        var text = new StringBuilder();
        var content = last.path("content");
        if (content.isTextual()) text.append(content.textValue());
        for (var block : content) {
            if (block.path("type").asText().equals("tool_result")) return Turn.text("done");
            if (block.path("type").asText().equals("text")) text.append(block.path("text").asText());
        }
        var m = FILE.matcher(text);
        boolean hasBash = false;
        for (var t : request.path("tools")) hasBash |= t.path("name").asText().equals("Bash");
        if (m.find() && hasBash) return Turn.bash("touch " + project.resolve("file-" + m.group(1)), "Create file-" + m.group(1));
        return Turn.text("ok");
    }

    /** The reference's bash hooks in the project, wired as its professional persona wires them. */
    private static Path referenceHooks(Path repo, Path project) throws IOException {
        var hooks = Files.createDirectories(project.resolve(".claude/hooks"));
        for (var name : List.of("watchtower-send.sh", "watchtower-notify.sh", "watchtower-tokens.sh", "watchtower-end.sh")) {
            var copy = hooks.resolve(name);
            Files.copy(repo.resolve("tests/fixtures/reference-hooks").resolve(name), copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
        }
        var root = JSON.createObjectNode();
        root.putObject("permissions").put("defaultMode", "default");
        var byEvent = root.putObject("hooks");
        var dir = "\"$CLAUDE_PROJECT_DIR\"/.claude/hooks/";
        for (var event : List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolUseFailure")) {
            hooks(byEvent, event, true, dir + "watchtower-send.sh " + event);
        }
        hooks(byEvent, "PermissionRequest", true, dir + "watchtower-send.sh PermissionRequest", dir + "watchtower-notify.sh");
        hooks(byEvent, "Notification", true, dir + "watchtower-send.sh Notification", dir + "watchtower-notify.sh");
        hooks(byEvent, "Stop", false, dir + "watchtower-send.sh Stop", dir + "watchtower-tokens.sh");
        hooks(byEvent, "SessionEnd", false, dir + "watchtower-end.sh");
        var settings = project.resolveSibling("reference-hooks.json");
        Files.writeString(settings, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), UTF_8);
        return settings;
    }

    private static void hooks(com.fasterxml.jackson.databind.node.ObjectNode byEvent, String event, boolean async,
                              String... commands) {
        var list = byEvent.putArray(event).addObject().put("matcher", "*").putArray("hooks");
        for (var c : commands) {
            var hook = list.addObject().put("type", "command").put("command", c).put("timeout", 5);
            if (async) hook.put("async", true);
        }
    }

    /** Only after a miss: a person answers the prompt in the terminal, so the next turn can start. */
    private static void approveInTerminal(UvsClaude claude, Path file) throws InterruptedException {
        for (int attempt = 0; attempt < 5 && !Files.exists(file); attempt++) {
            if (UvsClaude.promptShown(claude.screen())) claude.sendKeys("1");
            pause(Duration.ofSeconds(1));
        }
        if (!Files.exists(file)) throw new IllegalStateException("the tool never ran:\n" + claude.screen());
    }

    // --- waiting ---

    /** Completes with the nanoTime at which {@code file} first exists (polled every 0.5 ms). */
    private static CompletableFuture<Long> watch(Path file) {
        return CompletableFuture.supplyAsync(() -> {
            long end = System.nanoTime() + RUNS.toNanos();
            while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                if (Files.exists(file)) return System.nanoTime();
                LockSupport.parkNanos(500_000);
            }
            return null;
        });
    }

    /** The session's pending approval newer than {@code after} (an older one is a late hook's leftover). */
    private static JsonNode awaitPendingApproval(String url, String sid, long after) throws Exception {
        long end = System.nanoTime() + TURN.toNanos();
        while (System.nanoTime() < end) {
            for (var a : get(url, "/approvals?status=pending")) {
                if (sid.equals(a.path("session_id").asText()) && a.path("id").asLong() > after) return a;
            }
            pause(Duration.ofMillis(5));
        }
        throw new IllegalStateException("no approval opened for " + sid + " within " + TURN.toSeconds() + " s");
    }

    /** Waits until the session has {@code n} Stop events: the turn is over and its hooks have reported. */
    private static void awaitStops(String url, String sid, int n) throws Exception {
        long end = System.nanoTime() + TURN.toNanos();
        while (System.nanoTime() < end) {
            int stops = 0;
            for (var e : get(url, "/sessions/" + sid + "/events?limit=1000")) {
                if (e.path("event_type").asText().equals("Stop")) stops++;
            }
            if (stops >= n) return;
            pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException("turn " + n + " of " + sid + " did not end within " + TURN.toSeconds() + " s");
    }

    /** A fixed pause (a person's reading time, a retry's spacing), not a wait for a condition. */
    private static void pause(Duration d) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(d.toNanos());
    }

    // --- HTTP ---

    private static JsonNode get(String url, String path) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    /** Any answer is returned: a 409 on a decision is a measured outcome, not a failure of the run. */
    private static HttpResponse<String> post(String url, String path, Map<String, ?> body, String token) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) b.header("X-UVS-Token", token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- setup ---

    private static Path repoRoot() {
        for (var p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("jbang-catalog.json")) && Files.exists(p.resolve("Watchtower.java"))) return p;
        }
        throw new IllegalStateException("run from inside the Watchtower repository");
    }

    private static boolean onPath(String program) {
        for (var d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var files = Files.walk(root)) {
            for (var p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
