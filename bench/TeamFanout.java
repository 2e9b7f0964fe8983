import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Fan-out in one case, as {@link Fanout} measures it, but with the listeners spread over the
 * case's instances: events are always posted to the first instance, so in team mode the
 * listeners on the second receive them only through the relay (LISTEN/NOTIFY). Latency runs from
 * the start of the POST to receipt, kept apart for local and relayed listeners.
 */
final class TeamFanout {
    private TeamFanout() {}

    record Result(TeamCase kase, int requested, int ready, int sent, long expected, long delivered, int closedEarly,
                  Latencies local, Latencies relayed, double achievedPerSecond, String firstError, long peakRssKb) {
        double deliveredShare() {
            return expected == 0 ? 0 : (double) delivered / expected;
        }

        Result withPeak(long kb) {
            return new Result(kase, requested, ready, sent, expected, delivered, closedEarly, local, relayed,
                    achievedPerSecond, firstError, kb);
        }

        Latencies all() {
            var all = new Latencies();
            all.addAll(local);
            all.addAll(relayed);
            return all;
        }
    }

    static Result run(TeamLauncher launcher, TeamCluster cluster, Path work, TeamCase kase, TeamPlan plan)
            throws Exception {
        var dir = work.resolve("fanout-" + kase.key);
        var db = kase == TeamCase.SQLITE ? Launcher.dbIn(dir).toString() : cluster.createDatabase("wt_fanout_" + kase.key);
        var servers = new ArrayList<ServerProcess>();
        var groups = new ArrayList<LiveListeners>();
        try {
            for (int i = 0; i < kase.instances; i++) servers.add(launcher.start(dir.resolve("instance-" + i), db));
            for (int i = 0; i < servers.size(); i++) {
                groups.add(LiveListeners.open(servers.get(i), plan.listenersOn(kase.instances, i), plan.wsConnectTimeout()));
            }
            var result = measure(servers, groups, kase, plan);
            long peak = 0;
            for (var s : servers) {
                if (!s.alive()) throw new IllegalStateException("a server exited during the run");
                peak = Math.max(peak, s.peakRssKb());
            }
            return result.withPeak(peak);
        } finally {
            for (var g : groups) g.close();
            TeamLauncher.stopAll(servers);
        }
    }

    private static Result measure(List<ServerProcess> servers, List<LiveListeners> groups, TeamCase kase, TeamPlan plan)
            throws IOException {
        int requested = groups.stream().mapToInt(LiveListeners::requested).sum();
        int ready = groups.stream().mapToInt(LiveListeners::ready).sum();
        try (var sender = servers.get(0).client(true, 30_000)) {
            probeUntilAllSubscribed(sender, groups, ready, Duration.ofSeconds(15));
            String error = groups.stream().map(LiveListeners::firstError).filter(e -> e != null).findFirst().orElse(null);
            var posts = PacedPosts.send(sender, plan.fanoutEvents(), plan.fanoutPerSecond(), plan.fanoutLength());
            if (error == null) error = posts.error();
            int sent = posts.count();
            var sentAt = posts.sentAt();
            double achieved = posts.perSecond();
            long expected = (long) sent * ready;
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (delivered(groups) < expected && System.nanoTime() < drainDeadline) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polling the counters, bounded by the deadline
            }
            var local = groups.get(0).latencies(sentAt);
            var relayed = new Latencies();
            for (var g : groups.subList(1, groups.size())) relayed.addAll(g.latencies(sentAt));
            int closed = groups.stream().mapToInt(LiveListeners::closedEarly).sum();
            if (error == null) {
                error = groups.stream().map(LiveListeners::firstError).filter(e -> e != null).findFirst().orElse(null);
            }
            return new Result(kase, requested, ready, sent, expected, delivered(groups), closed, local, relayed,
                    achieved, error, 0);
        }
    }

    private static long delivered(List<LiveListeners> groups) {
        return groups.stream().mapToLong(LiveListeners::delivered).sum();
    }

    /** Probe events until every ready listener, local or relayed, has seen one (all are subscribed). */
    private static void probeUntilAllSubscribed(RawHttp sender, List<LiveListeners> groups, int ready, Duration limit)
            throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        int i = 0;
        while (groups.stream().mapToInt(LiveListeners::sawProbe).sum() < ready && System.nanoTime() < deadline) {
            sender.post("/events", Payloads.event("probe-" + i++, "fanout", "PreToolUse", "probe"));
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
