import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hook cost per event, as the agent pays it. Ours: the installed form ({@code java -cp <jar>
 * WtHook send}), {@code ./jbang wthook send} (few runs: about a second each) and the http-hook
 * path (POST /hooks/claude: only the request's round trip on loopback). The reference: its bash
 * hook (jq + curl) against its own server. Each ours row is compared with that bash hook.
 */
final class HookScenario {
    private HookScenario() {}

    static void run(Runner runner, Plan plan, Report report, Tree tree, String javaBin, String hookClasspath)
            throws java.io.IOException {
        var project = HookCost.Project.create(runner.launcher.newDir(Side.OURS, "hook-project"));
        var ours = runner.fresh(Side.OURS, "hooks", server -> {
            var env = env(server, project);
            var out = new ArrayList<HookCost.Result>();
            out.add(HookCost.process("java -cp <jar> WtHook send (installed form)",
                    List.of(javaBin, "-cp", hookClasspath, "WtHook", "send", "PreToolUse"),
                    project.dir(), env, project, plan.javaHookRuns(), 60_000));
            if (plan.jbangHookRuns() > 0) {
                out.add(HookCost.process("./jbang wthook send", List.of(tree.jbang().toString(), "wthook", "send", "PreToolUse"),
                        tree.root(), env, project, plan.jbangHookRuns(), 60_000));
            }
            out.add(HookCost.httpHook(server, true, "bench-http", plan.httpHookRuns(), 30_000));
            out.add(HookCost.httpHook(server, false, "bench-http", plan.httpHookRuns() / 4, 30_000));
            try (var http = server.client(false, 30_000)) {
                var session = new ObjectMapper().readTree(http.get("/sessions/" + project.sessionId()).body());
                long expected = out.get(0).runs() + 1 + (plan.jbangHookRuns() > 0 ? out.get(1).runs() + 1 : 0);
                long stored = session.path("event_count").asLong();
                if (stored != expected) {
                    report.failure("hooks: " + expected + " hook runs delivered " + stored + " events to our server");
                }
            }
            return out;
        });
        var reference = runner.fresh(Side.REFERENCE, "hooks", server -> {
            var script = tree.referenceHook().orElseThrow(() -> new java.io.IOException(
                    "tests/fixtures/reference-hooks/watchtower-send.sh is missing"));
            return HookCost.process("bash hook (jq + curl)", List.of("bash", script.toString(), "PreToolUse"),
                    project.dir(), env(server, project), project, plan.bashHookRuns(), 60_000);
        });

        var group = "Hook cost per event, to the agent (ms, p50; ours vs the reference bash hook)";
        var bash = reference.map(r -> r.value()).orElse(null);
        for (var r : ours.map(d -> (List<HookCost.Result>) d.value()).orElse(List.of())) {
            report.add(Row.numbers(group, r.label() + " vs bash hook: p50", "ms", r.p50Ms(), bash == null ? null : bash.p50Ms(),
                    Row.Better.LOWER));
            raw(report, Side.OURS, r);
            System.err.printf("bench: hook %-44s p50 %7.2f ms  p99 %7.2f ms  (%d runs)%s%n", r.label(), r.p50Ms(),
                    r.p99Ms(), r.runs(), r.error() == null ? "" : " " + r.error());
            if (r.error() != null) report.failure("hook " + r.label() + ": " + r.error());
            if (r.label().startsWith("http hook, keep-alive")) {
                report.target("≤ 1 ms added to the agent per event on the http-hook path",
                        String.format("p50 %.2f ms, p99 %.2f ms (keep-alive, loopback)", r.p50Ms(), r.p99Ms()), r.p50Ms() <= 1);
            }
        }
        if (bash != null) {
            raw(report, Side.REFERENCE, bash);
            System.err.printf("bench: hook %-44s p50 %7.2f ms  p99 %7.2f ms  (%d runs)%n", bash.label(), bash.p50Ms(),
                    bash.p99Ms(), bash.runs());
        }
    }

    private static Map<String, String> env(ServerProcess server, HookCost.Project project) {
        var env = new LinkedHashMap<String, String>();
        env.put("UVS_WATCHTOWER_URL", server.url());
        env.put("UVS_SESSION_ID", project.sessionId());
        env.put("CLAUDE_PROJECT_DIR", project.dir().toString());
        env.put("UVS_HOME", server.dir.resolve("uvs").toString());
        return env;
    }

    private static void raw(Report report, Side side, HookCost.Result r) {
        var raw = new LinkedHashMap<String, Object>();
        raw.put("side", side.label);
        raw.put("hook", r.label());
        raw.put("runs", r.runs());
        raw.put("p50_ms", r.p50Ms());
        raw.put("p99_ms", r.p99Ms());
        raw.put("error", r.error());
        report.raw("hooks", raw);
    }
}
