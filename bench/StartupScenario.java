import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Start-up to ready (warm: jars built, page cache hot) and idle memory. Ours as installed
 * ({@code java -cp}, until it prints "ready at") and through {@code ./jbang Watchtower.java}
 * (after two unmeasured runs, which leave the class archives and the launch command behind);
 * the reference through start-peer.sh (until /health answers; the script polls every 0.2 s).
 * Idle RSS is read after the server has sat one second without requests.
 */
final class StartupScenario {
    private StartupScenario() {}

    private static final Duration IDLE = Duration.ofSeconds(1);

    static void run(Runner runner, Plan plan, Report report, Tree tree) throws IOException, InterruptedException {
        var ready = new EnumMap<Side, List<Double>>(Side.class);
        var idle = new EnumMap<Side, List<Double>>(Side.class);
        for (int i = 0; i < plan.startupRuns(); i++) {
            for (var side : Side.values()) {
                var done = runner.fresh(side, "startup", server -> {
                    LockSupport.parkNanos(IDLE.toNanos()); // an idle period on purpose: nothing to wait for
                    return server.rssKb();
                });
                if (done.isEmpty()) continue;
                ready.computeIfAbsent(side, k -> new ArrayList<>()).add(done.get().server().readyNanos / 1e6);
                idle.computeIfAbsent(side, k -> new ArrayList<>()).add(done.get().value() / 1024.0);
            }
        }
        var jbang = new ArrayList<Double>();
        // two runs unmeasured: "warm" means JBang's caches are filled, the first run after a build
        // writes the server's class archive (//CDS) as it exits, the second leaves ./jbang the
        // command JBang printed (the first one's differs: it writes the archive), and the data
        // folder, shared by these runs as a user's ~/.uvs is, has its kept copy of SQLite's library
        var dataDir = runner.launcher.newDir(Side.OURS, "startup-jbang-data").resolve("uvs");
        for (int i = 0; i < Math.min(2, plan.jbangStartupRuns()); i++) viaJbang(runner, tree, dataDir);
        for (int i = 0; i < plan.jbangStartupRuns(); i++) jbang.add(viaJbang(runner, tree, dataDir));

        var group = "Start-up and memory";
        report.add(Row.numbers(group, "start-up to ready, warm (ours: java -cp; reference: start-peer.sh)", "ms",
                median(ready.get(Side.OURS)), median(ready.get(Side.REFERENCE)), Row.Better.LOWER));
        if (!jbang.isEmpty()) {
            report.add(Row.numbers(group, "start-up to ready through ./jbang Watchtower.java, warm", "ms",
                    median(jbang), null, Row.Better.LOWER));
        }
        report.add(Row.numbers(group, "RSS idle, 1 s after ready", "MB", median(idle.get(Side.OURS)),
                median(idle.get(Side.REFERENCE)), Row.Better.LOWER));
        for (var side : Side.values()) {
            var raw = new LinkedHashMap<String, Object>();
            raw.put("side", side.label);
            raw.put("ready_ms", ready.get(side));
            raw.put("idle_rss_mb", idle.get(side));
            if (side == Side.OURS) raw.put("jbang_ready_ms", jbang);
            report.raw("startup", raw);
        }
        System.err.printf("bench: start-up ours %s ms (jbang %s ms), reference %s ms; idle RSS ours %s MB, reference %s MB%n",
                ready.get(Side.OURS), jbang, ready.get(Side.REFERENCE), idle.get(Side.OURS), idle.get(Side.REFERENCE));
    }

    /**
     * ./jbang Watchtower.java on a new database in {@code dataDir}'s data folder: the launcher
     * execs the JVM, so the process we started becomes the server. The README's command as it is,
     * with the port, database and data folder in the environment: a user repeats the same command,
     * and ./jbang reuses JBang's launch command only for the same arguments.
     */
    private static double viaJbang(Runner runner, Tree tree, Path dataDir) throws IOException, InterruptedException {
        var dir = runner.launcher.newDir(Side.OURS, "startup-jbang");
        int port = Launcher.freePort();
        var pb = new ProcessBuilder(tree.jbang().toString(), "Watchtower.java").directory(tree.root().toFile())
                .redirectError(dir.resolve("server.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("WATCHTOWER_PORT", String.valueOf(port));
        pb.environment().put("WATCHTOWER_DB", Launcher.dbIn(dir).toString());
        pb.environment().put("UVS_HOME", dataDir.toString());
        long t0 = System.nanoTime();
        var p = pb.start();
        try {
            long at = Launcher.watchForReady(p, dir.resolve("server.out")).get(120, TimeUnit.SECONDS);
            return (at - t0) / 1e6;
        } catch (ExecutionException | TimeoutException e) {
            runner.report.failure("./jbang Watchtower.java did not become ready: " + Launcher.tail(dir.resolve("server.err")));
            return Double.NaN;
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static Double median(List<Double> values) {
        if (values == null) return null;
        var sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (sorted.isEmpty()) return null;
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
