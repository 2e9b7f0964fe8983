import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The team-mode results: one column per {@link TeamCase}, printed as the markdown table that
 * BENCHMARKS.md carries and written to team-results.json with the machine, the settings and every
 * run's raw figures. Failures (a lost event, a server that would not start) decide the exit code.
 */
final class TeamReport {
    /** One table line; {@code cells[i]} belongs to TeamCase i: a Double, a String, or null (not measured). */
    record Line(String group, String scenario, String unit, Object[] cells) {}

    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final List<Line> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, List<Object>> raw = new LinkedHashMap<>();

    void meta(String key, Object value) {
        meta.put(key, value);
    }

    void add(String group, String scenario, String unit, Object... cells) {
        lines.add(new Line(group, scenario, unit, Arrays.copyOf(cells, TeamCase.values().length)));
    }

    void note(String text) {
        notes.add(text);
    }

    void failure(String text) {
        failures.add(text);
        System.err.println("teambench: FAILED: " + text);
    }

    void raw(String key, Map<String, Object> figures) {
        raw.computeIfAbsent(key, k -> new ArrayList<>()).add(figures);
    }

    List<String> failures() {
        return failures;
    }

    String header() {
        return String.format("Watchtower team-mode benchmark, %s run, %s UTC, %s cores (%s), %s GB, %s.%n"
                        + "Our server: java %s. PostgreSQL %s (fsync=%s, synchronous_commit=%s, full_page_writes=%s), a"
                        + " private cluster on loopback. Commit %s; took %s s; load average %s at the start, %s at the end.",
                meta.get("mode"), meta.get("date_utc"), meta.get("cores"), meta.get("cpu"), meta.get("memory_gb"),
                meta.get("jdk"), meta.get("our_jvm_options"), meta.get("postgres_version"), meta.get("postgres_fsync"),
                meta.get("postgres_synchronous_commit"), meta.get("postgres_full_page_writes"), meta.get("commit"),
                meta.get("elapsed_s"), meta.get("load_average_at_start"), meta.get("load_average_at_end"));
    }

    void print(PrintStream out) {
        out.println();
        var head = new StringBuilder("| scenario |");
        var rule = new StringBuilder("|---|");
        for (var c : TeamCase.values()) {
            head.append(' ').append(c.label).append(" |");
            rule.append("---:|");
        }
        out.println(head);
        out.println(rule);
        String group = null;
        for (var line : lines) {
            if (!line.group().equals(group)) {
                group = line.group();
                out.println("| **" + group + "** |" + " |".repeat(TeamCase.values().length));
            }
            var row = new StringBuilder("| ").append(line.scenario()).append(line.unit().isEmpty() ? "" : " (" + line.unit() + ")").append(" |");
            for (var cell : line.cells()) row.append(' ').append(cell(cell)).append(" |");
            out.println(row);
        }
        out.println();
        for (var n : notes) out.println("- " + n);
        for (var f : failures) out.println("- FAILED: " + f);
    }

    private static String cell(Object value) {
        if (value instanceof Double d) return d.isNaN() || d.isInfinite() ? "—" : Report.number(d);
        return value == null ? "—" : value.toString();
    }

    void write(Path file) throws IOException {
        var root = new LinkedHashMap<String, Object>();
        root.put("meta", meta);
        var rows = new ArrayList<Map<String, Object>>();
        for (var line : lines) {
            var m = new LinkedHashMap<String, Object>();
            m.put("group", line.group());
            m.put("scenario", line.scenario());
            m.put("unit", line.unit());
            for (var c : TeamCase.values()) {
                var v = line.cells()[c.ordinal()];
                m.put(c.key, v instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : v);
            }
            rows.add(m);
        }
        root.put("rows", rows);
        root.put("notes", notes);
        root.put("failures", failures);
        root.put("raw", raw);
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    /** The machine, for the header: cores, CPU model and memory (Linux /proc; "unknown" elsewhere). */
    void machine() {
        meta("cores", Runtime.getRuntime().availableProcessors());
        meta("cpu", procField("/proc/cpuinfo", "model name").orElse("unknown CPU"));
        meta("memory_gb", procField("/proc/meminfo", "MemTotal").map(v -> Math.round(
                Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).map(Object::toString).orElse("?"));
        meta("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    }

    private static java.util.Optional<String> procField(String file, String name) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(name))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
