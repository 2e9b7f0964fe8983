import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * WebSocket fan-out at each client count, ours then the reference, each on a fresh server, in
 * rounds as ingest is: latency from POST to receipt at every client, and the share of broadcasts
 * that arrived. Rows give medians over rounds (one 10 s run moved by a millisecond at p99 from
 * one run to the next on the 2-core machine); results.json keeps every round.
 */
final class FanoutScenario {
    private FanoutScenario() {}

    static void run(Runner runner, Plan plan, Report report) {
        var group = "WebSocket fan-out: POST /events → every /live client (latency from the start of the POST"
                + (plan.rounds() == 1 ? ")" : "; median of " + plan.rounds() + " rounds)");
        for (var spec : plan.fanouts()) {
            var results = new EnumMap<Side, List<Fanout.Result>>(Side.class);
            var peaks = new EnumMap<Side, Long>(Side.class);
            for (int round = 1; round <= plan.rounds(); round++) {
                for (var side : Side.values()) {
                    var done = runner.fresh(side, "fanout-" + spec.clients() + "-" + round,
                            server -> Fanout.run(server, spec, plan.wsConnectTimeout()));
                    if (done.isEmpty()) continue;
                    var r = done.get().value();
                    results.computeIfAbsent(side, k -> new ArrayList<>()).add(r);
                    peaks.merge(side, done.get().peakRssKb(), Long::max);
                    var raw = new LinkedHashMap<String, Object>();
                    raw.put("side", side.label);
                    raw.put("round", round);
                    raw.put("clients", spec.clients());
                    raw.put("events_per_s", spec.perSecond());
                    raw.put("ready", r.ready());
                    raw.put("sent", r.sent());
                    raw.put("expected", r.expected());
                    raw.put("delivered", r.delivered());
                    raw.put("closed_early", r.closedEarly());
                    raw.put("p50_ms", r.p50Ms());
                    raw.put("p99_ms", r.p99Ms());
                    raw.put("max_ms", r.maxMs());
                    raw.put("achieved_events_per_s", r.achievedPerSecond());
                    raw.put("first_error", r.firstError());
                    raw.put("peak_rss_kb", done.get().peakRssKb());
                    report.raw("fanout", raw);
                    System.err.printf("bench: fan-out %4d clients %-9s round %d: ready %d, p50 %.2f ms, p99 %.2f ms, delivered %.1f%%%s%n",
                            spec.clients(), side.label, round, r.ready(), r.p50Ms(), r.p99Ms(), 100 * r.deliveredShare(),
                            r.firstError() == null ? "" : " (" + r.firstError() + ")");
                    if (side == Side.OURS && r.ready() < spec.clients()) {
                        report.failure("fan-out: only " + r.ready() + " of " + spec.clients() + " clients got their snapshot"
                                + (r.firstError() == null ? "" : ": " + r.firstError()));
                    }
                }
            }
            var label = String.format("%,d clients at %d events/s", spec.clients(), spec.perSecond());
            var o = results.get(Side.OURS);
            var f = results.get(Side.REFERENCE);
            report.add(Row.numbers(group, label + ": p50", "ms",
                    IngestScenario.median(o, Fanout.Result::p50Ms), IngestScenario.median(f, Fanout.Result::p50Ms), Row.Better.LOWER));
            report.add(Row.numbers(group, label + ": p99", "ms",
                    IngestScenario.median(o, Fanout.Result::p99Ms), IngestScenario.median(f, Fanout.Result::p99Ms), Row.Better.LOWER));
            report.add(Row.numbers(group, label + ": broadcasts delivered (the worst round)", "%",
                    worstShare(o), worstShare(f), Row.Better.NONE));
            report.add(Row.numbers(group, label + ": RSS peak", "MB",
                    IngestScenario.mb(peaks.get(Side.OURS)), IngestScenario.mb(peaks.get(Side.REFERENCE)), Row.Better.LOWER));
            if (spec.clients() == 100 && o != null) {
                var p99 = IngestScenario.median(o, Fanout.Result::p99Ms);
                var rounds = o.stream().map(r -> String.format("%.2f", r.p99Ms())).toList();
                report.target("fan-out p99 ≤ 5 ms to 100 clients", String.format("%.2f ms (rounds %s; %.1f%% delivered)",
                        p99, String.join(", ", rounds), worstShare(o)), p99 <= 5 && worstShare(o) > 99.9);
            }
        }
    }

    /** The smallest share of broadcasts delivered in any round, in percent. */
    private static Double worstShare(List<Fanout.Result> rounds) {
        if (rounds == null || rounds.isEmpty()) return null;
        return 100 * rounds.stream().mapToDouble(Fanout.Result::deliveredShare).min().orElse(0);
    }
}
