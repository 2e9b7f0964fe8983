import java.util.EnumMap;
import java.util.LinkedHashMap;

/**
 * WebSocket fan-out at each client count, ours then the reference, each on a fresh server:
 * latency from POST to receipt at every client, and the share of broadcasts that arrived.
 */
final class FanoutScenario {
    private FanoutScenario() {}

    static void run(Runner runner, Plan plan, Report report) {
        var group = "WebSocket fan-out: POST /events → every /live client (latency from the start of the POST)";
        for (var spec : plan.fanouts()) {
            var results = new EnumMap<Side, Fanout.Result>(Side.class);
            var peaks = new EnumMap<Side, Long>(Side.class);
            for (var side : Side.values()) {
                var done = runner.fresh(side, "fanout-" + spec.clients(), server -> Fanout.run(server, spec, plan.wsConnectTimeout()));
                if (done.isEmpty()) continue;
                var r = done.get().value();
                results.put(side, r);
                peaks.put(side, done.get().peakRssKb());
                var raw = new LinkedHashMap<String, Object>();
                raw.put("side", side.label);
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
                System.err.printf("bench: fan-out %4d clients %-9s: ready %d, p50 %.2f ms, p99 %.2f ms, delivered %.1f%%%s%n",
                        spec.clients(), side.label, r.ready(), r.p50Ms(), r.p99Ms(), 100 * r.deliveredShare(),
                        r.firstError() == null ? "" : " (" + r.firstError() + ")");
                if (side == Side.OURS && r.ready() < spec.clients()) {
                    report.failure("fan-out: only " + r.ready() + " of " + spec.clients() + " clients got their snapshot"
                            + (r.firstError() == null ? "" : ": " + r.firstError()));
                }
            }
            var label = String.format("%,d clients at %d events/s", spec.clients(), spec.perSecond());
            var o = results.get(Side.OURS);
            var f = results.get(Side.REFERENCE);
            report.add(Row.numbers(group, label + ": p50", "ms", o == null ? null : o.p50Ms(), f == null ? null : f.p50Ms(), Row.Better.LOWER));
            report.add(Row.numbers(group, label + ": p99", "ms", o == null ? null : o.p99Ms(), f == null ? null : f.p99Ms(), Row.Better.LOWER));
            report.add(Row.numbers(group, label + ": broadcasts delivered", "%",
                    o == null ? null : 100 * o.deliveredShare(), f == null ? null : 100 * f.deliveredShare(), Row.Better.NONE));
            report.add(Row.numbers(group, label + ": RSS peak", "MB",
                    IngestScenario.mb(peaks.get(Side.OURS)), IngestScenario.mb(peaks.get(Side.REFERENCE)), Row.Better.LOWER));
            if (spec.clients() == 100 && o != null) {
                report.target("fan-out p99 ≤ 5 ms to 100 clients", String.format("%.2f ms (%.1f%% delivered)",
                        o.p99Ms(), 100 * o.deliveredShare()), o.p99Ms() <= 5 && o.deliveredShare() > 0.999);
            }
        }
    }
}
