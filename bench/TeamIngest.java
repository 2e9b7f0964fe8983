import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One ingest run of one case, on fresh servers and a fresh database: the 8 keep-alive clients
 * split over the case's instances (team mode: half on each, all writing the same database), then
 * the servers stop and every acknowledged event is looked up in that database.
 */
final class TeamIngest {
    private TeamIngest() {}

    /** Throughput sums the instances; latencies pool every counted request of all of them. */
    record Sample(TeamCase kase, int round, double perSecond, Latencies latencies, long issued, long errors,
                  String firstError, StoredEvents.Check check, long peakRssKb) {}

    static Sample run(TeamLauncher launcher, TeamCluster cluster, Path work, TeamCase kase, TeamPlan plan, int round)
            throws Exception {
        var tag = "r" + round + "-" + kase.key;
        var dir = work.resolve("ingest-" + tag);
        var database = "wt_ingest_r" + round + "_" + kase.key;
        var db = kase == TeamCase.SQLITE ? Launcher.dbIn(dir).toString() : cluster.createDatabase(database);
        var servers = new ArrayList<ServerProcess>();
        List<IngestLoad.Result> loads = new ArrayList<>();
        long peak = 0;
        try {
            for (int i = 0; i < kase.instances; i++) servers.add(launcher.start(dir.resolve("instance-" + i), db));
            var running = new ArrayList<CompletableFuture<IngestLoad.Result>>();
            for (int i = 0; i < servers.size(); i++) {
                var server = servers.get(i);
                var spec = plan.ingestShare(kase.instances, i);
                var instanceTag = tag + "-i" + i;
                running.add(CompletableFuture.supplyAsync(() -> load(server, spec, instanceTag), TeamIngest::startThread));
            }
            for (var f : running) loads.add(unwrap(f));
            for (var s : servers) {
                if (!s.alive()) throw new IllegalStateException("a server exited during the run (log: "
                        + Launcher.tail(s.dir.resolve("server.err")) + ")");
                peak = Math.max(peak, s.peakRssKb());
            }
        } finally {
            TeamLauncher.stopAll(servers);
        }
        var acked = new ArrayList<String>();
        var latencies = new Latencies();
        double perSecond = 0;
        long issued = 0;
        long errors = 0;
        String firstError = null;
        for (var l : loads) {
            acked.addAll(l.acked());
            latencies.addAll(l.latencies());
            perSecond += l.perSecond();
            issued += l.issued();
            errors += l.errors();
            if (firstError == null) firstError = l.firstError();
        }
        var check = kase == TeamCase.SQLITE ? StoredEvents.verify(Path.of(db), acked) : cluster.verify(database, acked);
        return new Sample(kase, round, perSecond, latencies, issued, errors, firstError, check, peak);
    }

    private static IngestLoad.Result load(ServerProcess server, IngestLoad.Spec spec, String tag) {
        try {
            return IngestLoad.run(server, spec, tag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** One plain thread per instance's load: the common pool has one thread on two cores. */
    private static void startThread(Runnable r) {
        var t = new Thread(r, "team-ingest");
        t.setDaemon(true);
        t.start();
    }

    private static <T> T unwrap(CompletableFuture<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
