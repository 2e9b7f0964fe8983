import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one hook event costs the agent: the wall time of the hook process Claude Code would
 * run, stdin = a PreToolUse payload, until it exits (the reference bash hook backgrounds its
 * curl, so its time ends before delivery), or, for the http-hook path, the client-side
 * latency of POST /hooks/claude on loopback. Every process run is bounded by a timeout.
 */
final class HookCost {
    private HookCost() {}

    record Result(String label, int runs, double p50Ms, double p99Ms, String error) {}

    /** A project folder with the UV Suite metadata file the hooks read, and the payload file. */
    record Project(Path dir, Path payload, String sessionId) {
        static Project create(Path parent) throws IOException {
            var dir = Files.createDirectories(parent.resolve("project"));
            var sid = "bench-hook";
            var sessions = Files.createDirectories(dir.resolve(".uv-suite-state/sessions"));
            Files.writeString(sessions.resolve(sid + ".json"), "{\"uvs_session_id\":\"" + sid + "\",\"name\":\"bench hook\","
                    + "\"kind\":\"dev\",\"purpose\":\"benchmark\",\"priority\":\"medium\",\"persona\":\"professional\"}");
            var payload = parent.resolve("PreToolUse.json");
            Files.writeString(payload, Payloads.PRE_TOOL_USE);
            return new Project(dir, payload, sid);
        }
    }

    /** Runs the hook once unmeasured (page cache, JBang's build), then up to {@code runs} times within the time limit. */
    static Result process(String label, List<String> command, Path cwd, Map<String, String> env, Project project,
                          int runs, long maxMillis) {
        var latencies = new Latencies();
        String error = null;
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        for (int i = -1; i < runs && (i <= 0 || System.nanoTime() < deadline); i++) {
            try {
                var pb = new ProcessBuilder(command).directory(cwd.toFile())
                        .redirectInput(project.payload().toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                pb.environment().putAll(env);
                long t = System.nanoTime();
                var p = pb.start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    error = "a run took over 60 s";
                    break;
                }
                if (i >= 0) latencies.add(System.nanoTime() - t);
                if (p.exitValue() != 0 && error == null) error = "exit " + p.exitValue();
            } catch (IOException e) {
                error = e.toString();
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Result(label, latencies.count(), latencies.p50(), latencies.p99(), error);
    }

    /** POST /hooks/claude as Claude Code's http hook does, with the persona's headers. */
    static Result httpHook(ServerProcess server, boolean keepAlive, String sessionId, int runs, long maxMillis) {
        var latencies = new Latencies();
        String error = null;
        var body = Payloads.PRE_TOOL_USE.getBytes(StandardCharsets.UTF_8);
        var headers = "X-UVS-Session: " + sessionId + "\r\nX-Tmux-Pane: %3\r\n";
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        try (var http = server.client(keepAlive, 30_000)) {
            for (int i = 0; i < runs && System.nanoTime() < deadline; i++) {
                long t = System.nanoTime();
                var reply = http.post("/hooks/claude", body, headers);
                long took = System.nanoTime() - t;
                if (reply.status() != 200) {
                    error = "HTTP " + reply.status() + " " + reply.text();
                    break;
                }
                // the first tenth warms the JIT and the connection
                if (i >= runs / 10) latencies.add(took);
            }
        } catch (IOException e) {
            error = e.toString();
        }
        return new Result(keepAlive ? "http hook, keep-alive" : "http hook, new connection", latencies.count(),
                latencies.p50(), latencies.p99(), error);
    }
}
