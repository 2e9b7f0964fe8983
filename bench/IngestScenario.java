import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest scenarios, interleaved: for each round and each load shape, ours then the
 * reference, each on a fresh server and database. Afterwards each database is checked for
 * exactly-once storage and measured on disk. Rows give medians over rounds; results.json keeps
 * every run. The 8-client load with listeners runs next to the same server's 8-client load
 * without (first or second by turns), and their ratio is the median of each round's: the
 * machine's rate drifts by a fifth over minutes, more than the listeners cost.
 */
final class IngestScenario {
    private IngestScenario() {}

    /** One run: the load's result, the exactly-once check, bytes on disk, peak RSS, listeners' view. */
    record Sample(int round, IngestLoad.Result load, StoredEvents.Check check, long dbBytes, long peakRssKb,
                  int listenersReady, int listenersDropped, double listenerDeliveredShare) {}

    static void run(Runner runner, Plan plan, Report report) throws InterruptedException {
        var samples = new EnumMap<Side, Map<String, List<Sample>>>(Side.class);
        for (var side : Side.values()) samples.put(side, new LinkedHashMap<>());
        var eight = plan.eightKeepAlive();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (var spec : plan.ingest()) {
                for (var side : Side.values()) {
                    if (!spec.equals(eight)) {
                        once(runner, side, spec, 0, round, samples.get(side));
                        continue;
                    }
                    boolean listenersFirst = round % 2 == 0;
                    if (listenersFirst) once(runner, side, eight, plan.listenersDuringIngest(), round, samples.get(side));
                    once(runner, side, eight, 0, round, samples.get(side));
                    if (!listenersFirst) once(runner, side, eight, plan.listenersDuringIngest(), round, samples.get(side));
                }
            }
        }
        rows(plan, report, samples);
    }

    static String key(IngestLoad.Spec spec, int listeners) {
        return (spec.keepAlive() ? "ka" : "new") + spec.clients() + (listeners > 0 ? "+ws" + listeners : "");
    }

    private static void once(Runner runner, Side side, IngestLoad.Spec spec, int listeners, int round,
                             Map<String, List<Sample>> into) throws InterruptedException {
        var key = key(spec, listeners);
        var tag = "r" + round + "-" + key;
        record During(IngestLoad.Result load, int ready, int dropped, long eventMessages) {}
        var done = runner.fresh(side, "ingest-" + tag, server -> {
            if (listeners == 0) return new During(IngestLoad.run(server, spec, tag), 0, 0, 0);
            try (var live = LiveListeners.counting(server, listeners, Duration.ofSeconds(60))) {
                var load = IngestLoad.run(server, spec, tag);
                long received = live.awaitEventMessages((long) load.acked().size() * live.ready(), Duration.ofSeconds(5));
                return new During(load, live.ready(), live.closedEarly(), received);
            }
        });
        if (done.isEmpty()) return;
        var d = done.get().value();
        StoredEvents.Check check;
        try {
            check = StoredEvents.verify(done.get().server().db, d.load().acked());
        } catch (java.sql.SQLException e) {
            runner.report.failure(side.label + " " + tag + ": cannot read its database: " + e.getMessage());
            return;
        }
        if (!check.exact()) {
            var what = side.label + " " + tag + ": " + check.summary();
            if (side == Side.OURS) runner.report.failure(what);
            else runner.report.note("reference lost or duplicated events: " + what);
        }
        long bytes = StoredEvents.bytesOnDisk(done.get().server().db);
        double share = d.ready() == 0 ? 0 : (double) d.eventMessages() / ((double) check.acked() * d.ready());
        var sample = new Sample(round, d.load().figuresOnly(), check, bytes, done.get().peakRssKb(), d.ready(),
                d.dropped(), share);
        into.computeIfAbsent(key, k -> new ArrayList<>()).add(sample);
        var raw = new LinkedHashMap<String, Object>();
        raw.put("side", side.label);
        raw.put("round", round);
        raw.put("load", key);
        raw.put("events_per_s", d.load().perSecond());
        raw.put("p50_ms", d.load().p50Ms());
        raw.put("p99_ms", d.load().p99Ms());
        raw.put("max_ms", d.load().maxMs());
        raw.put("issued", d.load().issued());
        raw.put("errors", d.load().errors());
        raw.put("first_error", d.load().firstError());
        raw.put("acked", check.acked());
        raw.put("stored", check.stored());
        raw.put("missing", check.missing());
        raw.put("duplicated", check.duplicated());
        raw.put("db_bytes", bytes);
        raw.put("peak_rss_kb", done.get().peakRssKb());
        if (listeners > 0) {
            raw.put("listeners_ready", d.ready());
            raw.put("listeners_dropped", d.dropped());
            raw.put("listener_delivered_share", share);
        }
        runner.report.raw("ingest", raw);
        System.err.printf("bench: ingest %-12s %-9s round %d: %,.0f events/s, p50 %.2f ms, p99 %.2f ms, %s%n",
                key, side.label, round, d.load().perSecond(), d.load().p50Ms(), d.load().p99Ms(), check.summary());
    }

    private static void rows(Plan plan, Report report, EnumMap<Side, Map<String, List<Sample>>> all) {
        var group = "Ingest: POST /events, median of " + plan.rounds() + (plan.rounds() == 1 ? " round" : " rounds")
                + " (" + plan.ingest().get(0).warmup().toMillis() + " ms warm-up, then "
                + plan.ingest().get(0).window().toSeconds() + " s)";
        for (var spec : plan.ingest()) {
            var key = key(spec, 0);
            var o = all.get(Side.OURS).get(key);
            var r = all.get(Side.REFERENCE).get(key);
            report.add(Row.numbers(group, spec.label() + ": throughput", "events/s",
                    median(o, s -> s.load().perSecond()), median(r, s -> s.load().perSecond()), Row.Better.HIGHER));
            report.add(Row.numbers(group, spec.label() + ": p50", "ms",
                    median(o, s -> s.load().p50Ms()), median(r, s -> s.load().p50Ms()), Row.Better.LOWER));
            report.add(Row.numbers(group, spec.label() + ": p99", "ms",
                    median(o, s -> s.load().p99Ms()), median(r, s -> s.load().p99Ms()), Row.Better.LOWER));
        }
        var eight = key(plan.eightKeepAlive(), 0);
        var withWs = key(plan.eightKeepAlive(), plan.listenersDuringIngest());
        var listenersLabel = "keep-alive, 8 clients, " + plan.listenersDuringIngest() + " WebSocket listeners";
        Double[] ratios = new Double[2];
        var oursByRound = new ArrayList<Double>();
        for (var side : Side.values()) {
            var byRound = roundRatios(all.get(side).get(eight), all.get(side).get(withWs));
            ratios[side.ordinal()] = median(byRound, x -> x);
            if (side == Side.OURS) oursByRound.addAll(byRound);
        }
        var o = all.get(Side.OURS).get(withWs);
        var r = all.get(Side.REFERENCE).get(withWs);
        report.add(Row.numbers(group, listenersLabel + ": throughput", "events/s",
                median(o, s -> s.load().perSecond()), median(r, s -> s.load().perSecond()), Row.Better.HIGHER));
        report.add(Row.numbers(group, listenersLabel + ": throughput ÷ without listeners (median of rounds)", "",
                ratios[0], ratios[1], Row.Better.NONE));
        report.add(Row.numbers(group, listenersLabel + ": share of events each listener received", "%",
                pct(median(o, Sample::listenerDeliveredShare)), pct(median(r, Sample::listenerDeliveredShare)), Row.Better.NONE));
        report.add(Row.numbers(group, listenersLabel + ": listeners dropped by the server", "",
                median(o, s -> (double) s.listenersDropped()), median(r, s -> (double) s.listenersDropped()), Row.Better.NONE));
        report.add(Row.texts(group, "every acknowledged event stored exactly once (all runs, read from the SQLite file)",
                exactness(all.get(Side.OURS)), exactness(all.get(Side.REFERENCE))));
        report.add(Row.numbers(group, "failed requests (all runs)", "",
                total(all.get(Side.OURS), s -> s.load().errors()), total(all.get(Side.REFERENCE), s -> s.load().errors()),
                Row.Better.NONE));
        report.add(Row.numbers(group, "database bytes per event (8 clients: file + WAL ÷ events)", "bytes",
                median(all.get(Side.OURS).get(eight), IngestScenario::bytesPerEvent),
                median(all.get(Side.REFERENCE).get(eight), IngestScenario::bytesPerEvent), Row.Better.LOWER));
        var busiestSpec = plan.ingest().stream().filter(IngestLoad.Spec::keepAlive)
                .max(java.util.Comparator.comparingInt(IngestLoad.Spec::clients)).orElseThrow();
        var busiest = key(busiestSpec, 0);
        report.add(Row.numbers(group, "RSS peak (VmHWM) under ingest, " + busiestSpec.label(), "MB",
                mb(max(all.get(Side.OURS).get(busiest))), mb(max(all.get(Side.REFERENCE).get(busiest))), Row.Better.LOWER));
        report.add(Row.numbers(group, "RSS peak with " + plan.listenersDuringIngest() + " listeners", "MB",
                mb(max(all.get(Side.OURS).get(withWs))), mb(max(all.get(Side.REFERENCE).get(withWs))), Row.Better.LOWER));

        for (var spec : plan.ingest()) {
            if (!spec.keepAlive()) continue;
            var key = key(spec, 0);
            var ou = median(all.get(Side.OURS).get(key), s -> s.load().perSecond());
            var re = median(all.get(Side.REFERENCE).get(key), s -> s.load().perSecond());
            if (ou != null && re != null) {
                report.target("ingest ≥ 10× the reference (" + spec.label() + ")",
                        String.format("%.1f× (%,.0f vs %,.0f events/s)", ou / re, ou, re), ou / re >= 10);
            }
        }
        var p99 = median(all.get(Side.OURS).get(eight), s -> s.load().p99Ms());
        if (p99 != null) report.target("ingest p99 ≤ 5 ms at 8 clients", String.format("%.2f ms", p99), p99 <= 5);
        if (ratios[0] != null) {
            report.target("ingest with " + plan.listenersDuringIngest() + " listeners within 10% of none",
                    String.format("%.2f of the rate without (rounds %s)", ratios[0], oursByRound.stream()
                            .map(x -> String.format("%.2f", x)).collect(java.util.stream.Collectors.joining(", "))),
                    ratios[0] >= 0.9);
        }
    }

    /** Each round's rate with listeners ÷ the same round's without, for the rounds that have both. */
    private static List<Double> roundRatios(List<Sample> plain, List<Sample> with) {
        var out = new ArrayList<Double>();
        if (plain == null || with == null) return out;
        for (var w : with) {
            for (var p : plain) {
                if (p.round() == w.round() && p.load().perSecond() > 0) out.add(w.load().perSecond() / p.load().perSecond());
            }
        }
        return out;
    }

    private static double bytesPerEvent(Sample s) {
        return s.check().stored() == 0 ? Double.NaN : (double) s.dbBytes() / s.check().stored();
    }

    private static String exactness(Map<String, List<Sample>> bySide) {
        long acked = 0;
        long missing = 0;
        long dup = 0;
        for (var list : bySide.values()) {
            for (var s : list) {
                acked += s.check().acked();
                missing += s.check().missing();
                dup += s.check().duplicated();
            }
        }
        if (acked == 0) return "—";
        return String.format("%,d acked: %,d missing, %,d duplicated", acked, missing, dup);
    }

    static <T> Double median(List<T> list, java.util.function.ToDoubleFunction<T> f) {
        if (list == null || list.isEmpty()) return null;
        var values = list.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) return null;
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static Double total(Map<String, List<Sample>> bySide, java.util.function.ToLongFunction<Sample> f) {
        if (bySide.isEmpty()) return null;
        return (double) bySide.values().stream().flatMap(List::stream).mapToLong(f).sum();
    }

    private static Long max(List<Sample> list) {
        if (list == null || list.isEmpty()) return null;
        return list.stream().mapToLong(Sample::peakRssKb).max().getAsLong();
    }

    static Double mb(Long kb) {
        return kb == null || kb == 0 ? null : kb / 1024.0;
    }

    private static Double pct(Double share) {
        return share == null ? null : share * 100;
    }
}
