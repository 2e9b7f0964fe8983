import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read latency on large histories. For each data shape a history is written once in the
 * reference's schema, then copied for each side: the reference serves its copy as is, ours
 * migrates its copy at first start (that time is reported too), then each endpoint is timed.
 * Files are deleted afterwards unless the run keeps its work folder (1M events take ~0.7 GB).
 */
final class QueryScenario {
    private QueryScenario() {}

    /** Ours migrates a large reference history at its first start: allow for it. */
    private static final Duration MIGRATION_LIMIT = Duration.ofMinutes(15);

    static void run(Runner runner, Plan plan, Report report, boolean keepFiles) throws IOException {
        for (var shape : plan.shapes()) {
            var template = runner.launcher.newDir(Side.REFERENCE, "data-" + shape.name()).resolve("history.db");
            DataSet.Info info;
            try {
                info = DataSet.create(template, shape);
            } catch (java.sql.SQLException e) {
                report.failure("writing the history " + shape.label() + ": " + e.getMessage());
                continue;
            }
            System.err.printf("bench: data %s written in %.1f s (%,d MB)%n", shape.label(), info.seconds(),
                    StoredEvents.bytesOnDisk(template) >> 20);
            var results = new EnumMap<Side, Map<String, QueryLatency.Result>>(Side.class);
            var peaks = new EnumMap<Side, Long>(Side.class);
            Double migrationSeconds = null;
            Double indexSeconds = null;
            for (var side : Side.values()) {
                if (!runner.usable(side)) continue;
                var dir = runner.launcher.newDir(side, "query-" + shape.name());
                Files.copy(template, Launcher.dbIn(dir));
                var done = runner.on(side, dir, "queries " + shape.name(), MIGRATION_LIMIT, server -> {
                    // ours builds its search index in the background after a first start: measure once it is complete
                    Double filled = side == Side.OURS ? searchIndexFilled(server, shape, report) : null;
                    return new Measured(measureAll(server, side, shape, plan, info, report), filled);
                });
                if (done.isPresent()) {
                    results.put(side, done.get().value().results());
                    peaks.put(side, done.get().peakRssKb());
                    if (side == Side.OURS) {
                        migrationSeconds = done.get().server().readyNanos / 1e9;
                        indexSeconds = done.get().value().indexSeconds();
                    }
                }
                if (!keepFiles) deleteDatabase(Launcher.dbIn(dir));
            }
            if (!keepFiles) deleteDatabase(template);
            rows(report, plan, shape, results, peaks, migrationSeconds, indexSeconds);
        }
    }

    private record Measured(Map<String, QueryLatency.Result> results, Double indexSeconds) {}

    /** Seconds from ready until /health reports no search backlog; null if it never does. */
    private static Double searchIndexFilled(ServerProcess server, DataSet.Shape shape, Report report)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + INDEX_LIMIT.toNanos();
        try (var http = server.client(true, 30_000)) {
            while (System.nanoTime() < deadline) {
                try {
                    var reply = http.get("/health");
                    if (reply.status() == 200 && BACKLOG_DONE.matcher(reply.text()).find()) return (System.nanoTime() - t0) / 1e9;
                } catch (IOException e) {
                    report.failure("GET /health while the search index fills on " + shape.label() + ": " + e.getMessage());
                    return null;
                }
                Thread.sleep(250);
            }
        }
        report.failure("the search index of " + shape.label() + " was not complete after " + INDEX_LIMIT.toMinutes() + " min");
        return null;
    }

    private static final java.util.regex.Pattern BACKLOG_DONE = java.util.regex.Pattern.compile("\"search_backlog\"\\s*:\\s*0\\b");
    private static final Duration INDEX_LIMIT = Duration.ofMinutes(10);

    private static Map<String, QueryLatency.Result> measureAll(ServerProcess server, Side side, DataSet.Shape shape,
                                                               Plan plan, DataSet.Info info, Report report) {
        var out = new LinkedHashMap<String, QueryLatency.Result>();
        for (var e : QueryLatency.forSide(side)) {
            var r = QueryLatency.measure(server, e, info.sampleSessions(), plan.queryWarmup(), plan.querySamples(),
                    plan.queryLimit());
            out.put(e.key(), r);
            System.err.printf("bench: query %-8s %-9s %-16s p50 %8.2f ms  p99 %8.2f ms  (%d samples, %,d bytes)%s%n",
                    shape.name(), side.label, e.key(), r.p50Ms(), r.p99Ms(), r.samples(), r.bytes(),
                    r.error() == null ? "" : " " + r.error());
            if (side == Side.OURS && r.error() != null) report.failure("query " + e.path() + " on " + shape.label() + ": " + r.error());
            if (side == Side.OURS && e.key().startsWith("search") && r.bytes() <= 2) {
                report.failure("search " + e.path() + " on " + shape.label() + " found nothing; the history has matches");
            }
            var raw = new LinkedHashMap<String, Object>();
            raw.put("side", side.label);
            raw.put("data", shape.label());
            raw.put("endpoint", e.path());
            raw.put("samples", r.samples());
            raw.put("p50_ms", r.p50Ms());
            raw.put("p99_ms", r.p99Ms());
            raw.put("response_bytes", r.bytes());
            raw.put("error", r.error());
            report.raw("queries", raw);
        }
        return out;
    }

    private static void rows(Report report, Plan plan, DataSet.Shape shape,
                             EnumMap<Side, Map<String, QueryLatency.Result>> results, EnumMap<Side, Long> peaks,
                             Double migrationSeconds, Double indexSeconds) {
        var group = "Queries on " + shape.label() + " (p50 of up to " + plan.querySamples() + " requests, keep-alive)";
        var ours = results.getOrDefault(Side.OURS, Map.of());
        var ref = results.getOrDefault(Side.REFERENCE, Map.of());
        for (var e : QueryLatency.endpoints()) {
            var o = ours.get(e.key());
            var r = ref.get(e.key());
            report.add(Row.numbers(group, e.label() + ": p50", "ms", o == null ? null : o.p50Ms(),
                    r == null ? null : r.p50Ms(), Row.Better.LOWER));
            if (e.key().startsWith("sessions")) {
                report.add(Row.numbers(group, e.label() + ": p99", "ms", o == null ? null : o.p99Ms(),
                        r == null ? null : r.p99Ms(), Row.Better.LOWER));
            }
        }
        report.add(Row.numbers(group, "ours: first start on the reference-schema file (migration included)", "s",
                migrationSeconds, null, Row.Better.NONE));
        report.add(Row.numbers(group, "ours: then, the search index filled in the background (after ready)", "s",
                indexSeconds, null, Row.Better.NONE));
        report.add(Row.numbers(group, "RSS peak", "MB", IngestScenario.mb(peaks.get(Side.OURS)),
                IngestScenario.mb(peaks.get(Side.REFERENCE)), Row.Better.LOWER));
        var list = ours.get("sessions");
        var page = ours.get("sessions_page");
        if (list != null && shape.events() >= 1_000_000 && shape.sessions() <= 1_000) {
            report.target("GET /sessions ≤ 5 ms with " + shape.label(), String.format("p50 %.2f ms, p99 %.2f ms",
                    list.p50Ms(), list.p99Ms()), list.p50Ms() <= 5);
        }
        if (page != null && list != null && shape.sessions() >= 100_000) {
            report.target("GET /sessions ≤ 20 ms per page with " + shape.label(), String.format(
                    "page of 100: p50 %.2f ms; the dashboard's page of 1,000: p50 %.2f ms", page.p50Ms(), list.p50Ms()),
                    page.p50Ms() <= 20);
        }
    }

    private static void deleteDatabase(Path db) {
        for (var suffix : List.of("", "-wal", "-shm", "-journal", "-search", "-search-wal", "-search-shm")) {
            try {
                Files.deleteIfExists(Path.of(db + suffix));
            } catch (IOException e) {
                System.err.println("bench: could not delete " + db + suffix + ": " + e.getMessage());
            }
        }
    }
}
