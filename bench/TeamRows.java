import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Turns the runs into the table: ingest as medians over rounds (every run also kept raw), the
 * exactly-once check summed over all runs, and fan-out with local and relayed listeners apart.
 */
final class TeamRows {
    private final TeamPlan plan;
    private final TeamReport report;
    private final EnumMap<TeamCase, List<TeamIngest.Sample>> ingest = new EnumMap<>(TeamCase.class);
    private final EnumMap<TeamCase, TeamFanout.Result> fanout = new EnumMap<>(TeamCase.class);

    TeamRows(TeamPlan plan, TeamReport report) {
        this.plan = plan;
        this.report = report;
        for (var c : TeamCase.values()) ingest.put(c, new ArrayList<>());
    }

    void ingest(TeamIngest.Sample s) {
        ingest.get(s.kase()).add(s);
        if (!s.check().exact()) report.failure(s.kase().label + ", round " + s.round() + ": " + s.check().summary());
        var raw = new LinkedHashMap<String, Object>();
        raw.put("case", s.kase().key);
        raw.put("round", s.round());
        raw.put("events_per_s", s.perSecond());
        raw.put("p50_ms", finite(s.latencies().p50()));
        raw.put("p99_ms", finite(s.latencies().p99()));
        raw.put("max_ms", finite(s.latencies().maxMs()));
        raw.put("issued", s.issued());
        raw.put("errors", s.errors());
        raw.put("first_error", s.firstError());
        raw.put("acked", s.check().acked());
        raw.put("stored", s.check().stored());
        raw.put("missing", s.check().missing());
        raw.put("duplicated", s.check().duplicated());
        raw.put("peak_rss_kb_per_instance", s.peakRssKb());
        report.raw("ingest", raw);
        System.err.printf(Locale.ROOT, "teambench: ingest %-24s round %d: %,.0f events/s, p50 %.2f ms, p99 %.2f ms, %s%n",
                s.kase().label, s.round(), s.perSecond(), s.latencies().p50(), s.latencies().p99(), s.check().summary());
    }

    void fanout(TeamFanout.Result r) {
        fanout.put(r.kase(), r);
        if (r.ready() < r.requested()) {
            report.failure("fan-out, " + r.kase().label + ": only " + r.ready() + " of " + r.requested()
                    + " listeners got their snapshot" + (r.firstError() == null ? "" : ": " + r.firstError()));
        }
        var raw = new LinkedHashMap<String, Object>();
        raw.put("case", r.kase().key);
        raw.put("listeners", r.requested());
        raw.put("ready", r.ready());
        raw.put("events_per_s", plan.fanoutPerSecond());
        raw.put("achieved_events_per_s", r.achievedPerSecond());
        raw.put("sent", r.sent());
        raw.put("expected", r.expected());
        raw.put("delivered", r.delivered());
        raw.put("closed_early", r.closedEarly());
        raw.put("local_deliveries", r.local().count());
        raw.put("local_p50_ms", finite(r.local().p50()));
        raw.put("local_p99_ms", finite(r.local().p99()));
        raw.put("local_max_ms", finite(r.local().maxMs()));
        raw.put("relayed_deliveries", r.relayed().count());
        raw.put("relayed_p50_ms", finite(r.relayed().p50()));
        raw.put("relayed_p99_ms", finite(r.relayed().p99()));
        raw.put("relayed_max_ms", finite(r.relayed().maxMs()));
        raw.put("first_error", r.firstError());
        raw.put("peak_rss_kb_per_instance", r.peakRssKb());
        report.raw("fanout", raw);
        System.err.printf(Locale.ROOT, "teambench: fan-out %-24s: ready %d, local p50 %.2f / p99 %.2f ms, relayed p50 %.2f / p99 %.2f ms, delivered %.1f%%%n",
                r.kase().label, r.ready(), r.local().p50(), r.local().p99(), r.relayed().p50(), r.relayed().p99(),
                100 * r.deliveredShare());
    }

    void finish() {
        var spec = plan.ingest();
        var group = String.format(Locale.ROOT, "Durable ingest: POST /events, %d keep-alive clients (team: %d per instance),"
                        + " median of %d %s (%d ms warm-up, then %d s)", spec.clients(), spec.clients() / 2, plan.rounds(),
                plan.rounds() == 1 ? "round" : "rounds", spec.warmup().toMillis(), spec.window().toSeconds());
        report.add(group, "throughput (all instances together)", "events/s", per(s -> s.perSecond()));
        report.add(group, "p50", "ms", per(s -> s.latencies().p50()));
        report.add(group, "p99", "ms", per(s -> s.latencies().p99()));
        report.add(group, "every acknowledged event stored exactly once (all rounds, read back from the database)", "",
                texts(TeamRows::exactness));
        report.add(group, "failed requests (all rounds; the first error is in the raw figures)", "", texts(list -> list.isEmpty() ? null
                : (Object) String.format(Locale.ROOT, "%,d", list.stream().mapToLong(TeamIngest.Sample::errors).sum())));
        report.add(group, "RSS peak per instance", "MB", texts(list -> list.isEmpty() ? null
                : (Object) (list.stream().mapToLong(TeamIngest.Sample::peakRssKb).max().getAsLong() / 1024.0)));

        var fan = String.format(Locale.ROOT, "Fan-out: POST /events at %d/s → %d /live listeners (team: %d on each instance,"
                        + " events posted to the first); latency from the start of the POST to receipt",
                plan.fanoutPerSecond(), plan.listeners(), plan.listeners() / 2);
        report.add(fan, "listeners ready", "", fan(r -> (double) r.ready()));
        report.add(fan, "events posted per second (one sender; below the rate when each POST takes longer)", "events/s",
                fan(TeamFanout.Result::achievedPerSecond));
        report.add(fan, "all listeners: p50", "ms", fan(r -> r.all().p50()));
        report.add(fan, "all listeners: p99", "ms", fan(r -> r.all().p99()));
        report.add(fan, "listeners on the posting instance: p50", "ms", fan(r -> r.local().p50()));
        report.add(fan, "listeners on the posting instance: p99", "ms", fan(r -> r.local().p99()));
        report.add(fan, "listeners on the other instance (relayed by LISTEN/NOTIFY): p50", "ms", fan(r -> r.relayed().p50()));
        report.add(fan, "listeners on the other instance (relayed by LISTEN/NOTIFY): p99", "ms", fan(r -> r.relayed().p99()));
        report.add(fan, "broadcasts delivered", "%", fan(r -> 100 * r.deliveredShare()));
        report.add(fan, "RSS peak per instance", "MB", fan(r -> r.peakRssKb() / 1024.0));
    }

    private Object[] per(ToDoubleFunction<TeamIngest.Sample> f) {
        return texts(list -> median(list, f));
    }

    private Object[] texts(java.util.function.Function<List<TeamIngest.Sample>, Object> f) {
        var cells = new Object[TeamCase.values().length];
        for (var c : TeamCase.values()) cells[c.ordinal()] = f.apply(ingest.get(c));
        return cells;
    }

    private Object[] fan(ToDoubleFunction<TeamFanout.Result> f) {
        var cells = new Object[TeamCase.values().length];
        for (var c : TeamCase.values()) {
            var r = fanout.get(c);
            cells[c.ordinal()] = r == null ? null : (Object) f.applyAsDouble(r);
        }
        return cells;
    }

    /** JSON has no NaN: a latency of no deliveries (no relayed listener) is written as null. */
    private static Double finite(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static Double median(List<TeamIngest.Sample> list, ToDoubleFunction<TeamIngest.Sample> f) {
        var values = list.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = values.length;
        if (n == 0) return null;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static Object exactness(List<TeamIngest.Sample> list) {
        if (list.isEmpty()) return null;
        long acked = 0;
        long missing = 0;
        long dup = 0;
        for (var s : list) {
            acked += s.check().acked();
            missing += s.check().missing();
            dup += s.check().duplicated();
        }
        return String.format(Locale.ROOT, "%,d acked: %,d missing, %,d duplicated", acked, missing, dup);
    }
}
