import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects rows, target verdicts and raw figures; prints the markdown table (the same text
 * BENCHMARKS.md carries) and writes results.json. Problems (a check that failed on ours, a
 * server that would not start) are kept apart, since they decide the exit code.
 */
final class Report {
    record Target(String name, String measured, boolean met) {}

    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Object> raw = new LinkedHashMap<>();

    void meta(String key, Object value) {
        meta.put(key, value);
    }

    Object meta(String key) {
        return meta.get(key);
    }

    void add(Row row) {
        rows.add(row);
    }

    void target(String name, String measured, boolean met) {
        targets.add(new Target(name, measured, met));
    }

    void note(String text) {
        notes.add(text);
    }

    /** Something wrong with ours (a lost event, two pending approvals): the run exits non-zero. */
    void failure(String text) {
        failures.add(text);
        System.err.println("bench: FAILED: " + text);
    }

    @SuppressWarnings("unchecked")
    void raw(String key, Object value) {
        ((List<Object>) raw.computeIfAbsent(key, k -> new ArrayList<>())).add(value);
    }

    List<String> failures() {
        return failures;
    }

    void print(PrintStream out) {
        out.println();
        out.println("| scenario | ours | reference | ratio |");
        out.println("|---|---:|---:|---:|");
        String group = null;
        for (var r : rows) {
            if (!r.group().equals(group)) {
                group = r.group();
                out.println("| **" + group + "** | | | |");
            }
            var unit = r.unit().isEmpty() ? "" : " (" + r.unit() + ")";
            out.println("| " + r.scenario() + unit + " | " + cell(r.ours(), r.oursText()) + " | "
                    + cell(r.reference(), r.referenceText()) + " | " + ratio(r) + " |");
        }
        out.println();
        out.println("Ratio: how many times better ours is (reference/ours for times and sizes, ours/reference for rates).");
        if (!targets.isEmpty()) {
            out.println();
            out.println("| target | measured | met |");
            out.println("|---|---|---|");
            for (var t : targets) out.println("| " + t.name() + " | " + t.measured() + " | " + (t.met() ? "yes" : "**no**") + " |");
        }
        for (var n : notes) out.println("- " + n);
        for (var f : failures) out.println("- FAILED: " + f);
    }

    void write(Path file) throws IOException {
        var root = new LinkedHashMap<String, Object>();
        root.put("meta", meta);
        var rowMaps = new ArrayList<Map<String, Object>>();
        for (var r : rows) {
            var m = new LinkedHashMap<String, Object>();
            m.put("group", r.group());
            m.put("scenario", r.scenario());
            m.put("unit", r.unit());
            m.put("ours", r.ours() != null ? r.ours() : r.oursText());
            m.put("reference", r.reference() != null ? r.reference() : r.referenceText());
            m.put("better", r.better().name().toLowerCase(Locale.ROOT));
            m.put("ratio", r.ratio());
            rowMaps.add(m);
        }
        root.put("rows", rowMaps);
        root.put("targets", targets);
        root.put("notes", notes);
        root.put("failures", failures);
        root.put("raw", raw);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    static String cell(Double value, String text) {
        if (value != null) return number(value);
        return text != null ? text : "—";
    }

    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 0.1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ratio(Row r) {
        var x = r.ratio();
        if (x == null) return "";
        return (x >= 10 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.1f", x)) + "×";
    }
}
