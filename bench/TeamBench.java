///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.xerial:sqlite-jdbc:3.54.1.0
//DEPS org.postgresql:postgresql:42.7.14
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0
//SOURCES Classpaths.java
//SOURCES IngestLoad.java
//SOURCES Latencies.java
//SOURCES Launcher.java
//SOURCES LiveListeners.java
//SOURCES Payloads.java
//SOURCES ProcStatus.java
//SOURCES RawHttp.java
//SOURCES Report.java
//SOURCES Row.java
//SOURCES ServerProcess.java
//SOURCES Side.java
//SOURCES StoredEvents.java
//SOURCES Tree.java
//SOURCES TeamCase.java
//SOURCES TeamCluster.java
//SOURCES TeamFanout.java
//SOURCES PacedPosts.java
//SOURCES TeamIngest.java
//SOURCES TeamLauncher.java
//SOURCES TeamPlan.java
//SOURCES TeamReport.java
//SOURCES TeamRows.java
//DESCRIPTION Team mode side by side: one instance on SQLite, one on PostgreSQL, two sharing PostgreSQL. Example: ./jbang bench/TeamBench.java --short

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "teambench", mixinStandardHelpOptions = true,
        description = "Measures our server on SQLite, on PostgreSQL, and as two instances sharing one PostgreSQL"
                + " database: durable ingest at 8 keep-alive clients and /live fan-out to 100 listeners (local and"
                + " relayed). Starts its own durable PostgreSQL cluster; prints a table and writes team-results.json.")
public class TeamBench implements Callable<Integer> {

    @Option(names = "--short", description = "A tiny run that only proves the benchmark works (under a minute).")
    boolean quick;

    @Option(names = "--rounds", description = "Ingest rounds per case (default: 3 full, 1 short).")
    Integer rounds;

    @Option(names = "--heap", defaultValue = "", description = "Heap option for each server (default: the launcher's, -Xmx256m).")
    String heap;

    @Option(names = "--out", description = "Where to write the results (default: bench/team-results.json for a full run,"
            + " the work folder for --short).")
    Path out;

    @Option(names = "--keep", description = "Keep the work folder (SQLite files, server logs) instead of deleting it.")
    boolean keep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TeamBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!heap.isEmpty() && !heap.startsWith("-X")) throw new CommandLine.ParameterException(new CommandLine(this), "--heap looks like -Xmx256m");
        var plan = quick ? TeamPlan.quick() : TeamPlan.full();
        if (rounds != null) plan = plan.withRounds(Math.max(1, rounds));
        var tree = Tree.find();
        var work = Files.createTempDirectory("wt-teambench-");
        var results = out != null ? out : quick ? work.resolve("team-results.json") : tree.root().resolve("bench/team-results.json");
        long t0 = System.nanoTime();
        var report = new TeamReport();
        report.meta("date_utc", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        report.meta("mode", plan.mode());
        report.meta("rounds", plan.rounds());
        report.machine();
        var jvmOptions = new java.util.ArrayList<String>(Launcher.launcherOptions(tree));
        if (!heap.isEmpty()) jvmOptions.add(heap); // a later -Xmx wins
        report.meta("our_jvm_options", String.join(" ", jvmOptions));
        report.meta("commit", commit(tree));
        report.meta("load_average_at_start", loadAverage());
        System.err.println("teambench: " + plan.mode() + " run, work folder " + work);
        System.err.println("teambench: building our server with ./jbang");
        var classpath = Classpaths.of(tree, "Watchtower.java", work.resolve("jars"));
        var javaBin = ProcessHandle.current().info().command().orElse("java");
        report.meta("java", javaBin);
        System.err.println("teambench: starting a durable PostgreSQL cluster (.ci/postgres.sh, PG_DURABLE=1)");
        var launcher = new TeamLauncher(javaBin, classpath, jvmOptions);
        TeamCluster cluster;
        try {
            cluster = TeamCluster.start(tree);
        } catch (Exception e) {
            report.failure("no PostgreSQL: " + e.getMessage());
            report.print(System.out);
            return 1;
        }
        Runnable cleanup = () -> {
            launcher.close();
            cluster.close();
        };
        var hook = new Thread(cleanup, "teambench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        var rows = new TeamRows(plan, report);
        try {
            cluster.settings().forEach((k, v) -> report.meta(k.startsWith("server_") ? "postgres_version" : "postgres_" + k, v));
            for (int round = 1; round <= plan.rounds(); round++) {
                for (var kase : TeamCase.values()) { // interleaved, so a busy spell on the machine hits every case
                    try {
                        rows.ingest(TeamIngest.run(launcher, cluster, work, kase, plan, round));
                    } catch (Exception e) {
                        report.failure("ingest, " + kase.label + ", round " + round + ": " + e);
                    }
                }
            }
            for (var kase : TeamCase.values()) {
                try {
                    rows.fanout(TeamFanout.run(launcher, cluster, work, kase, plan));
                } catch (Exception e) {
                    report.failure("fan-out, " + kase.label + ": " + e);
                }
            }
        } finally {
            cleanup.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        rows.finish();
        report.meta("load_average_at_end", loadAverage());
        report.meta("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
        System.out.println(report.header());
        report.print(System.out);
        report.write(results);
        System.err.printf("teambench: %s run took %d s; results in %s%n", plan.mode(), Math.round((System.nanoTime() - t0) / 1e9), results);
        if (!keep) deleteTree(work, results);
        else System.err.println("teambench: kept " + work);
        return report.failures().isEmpty() ? 0 : 1;
    }

    /** The 1-minute load average: others' builds share the two cores, so the run records it. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Deletes the work folder, except {@code keep} (a --short run's results live there) and its parents. */
    private static void deleteTree(Path work, Path keep) throws java.io.IOException {
        try (var paths = Files.walk(work)) {
            for (var p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!keep.startsWith(p)) Files.deleteIfExists(p);
            }
        }
    }

    /** The short commit, marked when the tree has uncommitted changes (others edit it while we measure). */
    private static String commit(Tree tree) {
        var head = git(tree, "rev-parse", "--short", "HEAD");
        return head.isEmpty() ? "?" : head + (git(tree, "status", "--porcelain").isEmpty() ? "" : " + uncommitted changes");
    }

    private static String git(Tree tree, String... args) {
        var command = new ArrayList<>(List.of("git", "-C", tree.root().toString()));
        command.addAll(List.of(args));
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            return p.isAlive() || p.exitValue() != 0 ? "" : text.lines().findFirst().orElse("").strip();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
