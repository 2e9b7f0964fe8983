import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How a run was taken (date, machine, JDK, heap, commit, the reference's Python) for the
 * header above the table and results.json; and removing the work folder afterwards.
 */
final class Meta {
    private Meta() {}

    static void fill(Report report, Plan plan, Tree tree, String jvmOptions, String javaBin) {
        report.meta("date_utc", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        report.meta("mode", plan.mode());
        report.meta("rounds", plan.rounds());
        report.meta("cores", Runtime.getRuntime().availableProcessors());
        report.meta("cpu", cpuModel());
        report.meta("memory_gb", Math.round(memTotalKb() / 1024.0 / 1024.0));
        report.meta("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        report.meta("java", javaBin);
        report.meta("our_jvm_options", jvmOptions);
        report.meta("commit", firstLine(List.of("git", "-C", tree.root().toString(), "rev-parse", "--short", "HEAD"))
                + (firstLine(List.of("git", "-C", tree.root().toString(), "status", "--porcelain")).isEmpty() ? "" : " + uncommitted changes"));
        report.meta("load_average_at_start", loadAverage());
        report.meta("handoff_at_start", handoffRoundTrip());
        report.meta("reference", "uv-suite@0.32.0 watchtower/app via shared/peer/start-peer.sh, "
                + firstLine(List.of("/usr/bin/python3", "--version")) + ", uvicorn (uvloop + httptools)");
    }

    static String header(Report report) {
        return String.format("Watchtower side-by-side benchmark, %s run, %s UTC, %s cores (%s), %s GB, %s.%n"
                        + "Ours: java %s; reference: %s. Commit %s; took %s s; load average %s at the start, %s at the end.%n"
                        + "Thread hand-off round trip (the machine's share of every request): %s at the start, %s at the end.",
                report.meta("mode"), report.meta("date_utc"), report.meta("cores"), report.meta("cpu"),
                report.meta("memory_gb"), report.meta("jdk"), report.meta("our_jvm_options"), report.meta("reference"),
                report.meta("commit"), report.meta("elapsed_s"), report.meta("load_average_at_start"),
                report.meta("load_average_at_end"), report.meta("handoff_at_start"), report.meta("handoff_at_end"));
    }

    /** The 1-minute load average: other work on the machine skews every figure, so the run records it. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * One thread waking another and being woken back, p50 and p99 over 20,000 round trips. Every
     * request pays a few of these, and on a shared virtual machine their cost moves from day to day
     * with the host's load, which the load average inside the machine does not show; absolute
     * latencies of two runs compare only alongside this.
     */
    static String handoffRoundTrip() {
        int n = 20_000;
        var turn = new AtomicInteger(); // 1: the echo thread's turn, 0: ours
        var caller = Thread.currentThread();
        var echo = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                while (turn.get() != 1) LockSupport.park();
                turn.set(0);
                LockSupport.unpark(caller);
            }
        }, "bench-handoff");
        echo.setDaemon(true);
        echo.start();
        var latencies = new Latencies();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            turn.set(1);
            LockSupport.unpark(echo);
            while (turn.get() != 0) LockSupport.park();
            latencies.add(System.nanoTime() - start);
        }
        return String.format("p50 %.0f us, p99 %.0f us", latencies.p50() * 1000, latencies.p99() * 1000);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static long memTotalKb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The first line a short command prints, or "" (a missing git or python only blanks a header field). */
    private static String firstLine(List<String> command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            return p.exitValue() == 0 ? out.lines().findFirst().orElse("").strip() : "";
        } catch (IOException | IllegalThreadStateException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Deletes the work folder, except {@code keep} (a --short run's results.json lives there). */
    static void deleteTree(Path work, Path keep) throws IOException {
        try (var paths = Files.walk(work)) {
            for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (p.equals(keep) || (keep.startsWith(p) && !p.equals(keep))) continue;
                Files.deleteIfExists(p);
            }
        }
    }
}
