///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.xerial:sqlite-jdbc:3.54.1.0
//DEPS org.postgresql:postgresql:42.7.14
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0
//SOURCES ApprovalRace.java
//SOURCES Classpaths.java
//SOURCES DataSet.java
//SOURCES Fanout.java
//SOURCES PacedPosts.java
//SOURCES FanoutScenario.java
//SOURCES HookCost.java
//SOURCES HookScenario.java
//SOURCES IngestLoad.java
//SOURCES IngestScenario.java
//SOURCES Latencies.java
//SOURCES Launcher.java
//SOURCES LiveListeners.java
//SOURCES Meta.java
//SOURCES Payloads.java
//SOURCES Plan.java
//SOURCES ProcStatus.java
//SOURCES QueryLatency.java
//SOURCES QueryScenario.java
//SOURCES RaceScenario.java
//SOURCES RawHttp.java
//SOURCES Report.java
//SOURCES Row.java
//SOURCES Runner.java
//SOURCES ServerProcess.java
//SOURCES Side.java
//SOURCES StartupScenario.java
//SOURCES StoredEvents.java
//SOURCES Tree.java
//DESCRIPTION Side-by-side benchmark of our server and the reference, same run, interleaved. Example: ./jbang bench/Bench.java --short

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures our Watchtower server and the reference (uv-suite@0.32.0) side by side: ingest, fan-out,"
                + " approval races, queries on large histories, hook cost, start-up and memory. Prints a table and"
                + " writes results.json.")
public class Bench implements Callable<Integer> {
    static final List<String> SECTIONS = List.of("startup", "ingest", "race", "fanout", "queries", "hooks");

    @Option(names = "--short", description = "Every scenario tiny (CI: proves the benchmark works; a few minutes).")
    boolean quick;

    @Option(names = "--full", description = "The real run (about 25 minutes on two cores).")
    boolean full;

    @Option(names = "--rounds", description = "Ingest and fan-out rounds (default: 3 full, 1 short).")
    Integer rounds;

    @Option(names = "--only", split = ",", description = "Only these sections: ${COMPLETION-CANDIDATES}.",
            completionCandidates = SectionNames.class)
    Set<String> only;

    @Option(names = "--heap", defaultValue = "", description = "Heap option for our server (default: the launcher's, -Xmx256m).")
    String heap;

    @Option(names = "--our-jvm-option", description = "Another JVM option for our server, e.g."
            + " -Dsun.net.httpserver.nodelay=true (repeatable; stated in the header).")
    List<String> ourJvmOptions = List.of();

    @Option(names = "--out", description = "Where to write results.json (default: bench/results.json for --full,"
            + " the work folder for --short).")
    Path out;

    @Option(names = "--keep", description = "Keep the work folder (databases, server logs) instead of deleting it.")
    boolean keep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (quick == full) throw new CommandLine.ParameterException(new CommandLine(this), "choose one of --short or --full");
        if (only != null && !SECTIONS.containsAll(only)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--only takes " + String.join(",", SECTIONS));
        }
        if (!heap.isEmpty() && !heap.startsWith("-X")) throw new CommandLine.ParameterException(new CommandLine(this), "--heap looks like -Xmx256m");
        var plan = quick ? Plan.quick() : Plan.full();
        if (rounds != null) plan = plan.withRounds(Math.max(1, rounds));
        var tree = Tree.find();
        var work = Files.createTempDirectory("wt-bench-");
        var results = out != null ? out : quick ? work.resolve("results.json") : tree.root().resolve("bench/results.json");
        long t0 = System.nanoTime();
        var report = new Report();
        System.err.println("bench: " + plan.mode() + " run, work folder " + work);
        System.err.println("bench: building our server and hook with ./jbang");
        var ourClasspath = Classpaths.of(tree, "Watchtower.java", work.resolve("jars"));
        var hookClasspath = Classpaths.of(tree, "WtHook.java", work.resolve("jars"));
        var javaBin = ProcessHandle.current().info().command().orElse("java");
        var jvmOptions = new java.util.ArrayList<String>(Launcher.launcherOptions(tree));
        if (!heap.isEmpty()) jvmOptions.add(heap); // a later -Xmx wins
        jvmOptions.addAll(ourJvmOptions);
        Meta.fill(report, plan, tree, String.join(" ", jvmOptions), javaBin);
        try (var launcher = new Launcher(tree, work, javaBin, ourClasspath, jvmOptions)) {
            Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "bench-cleanup"));
            var runner = new Runner(launcher, report);
            for (var section : SECTIONS) {
                if (only != null && !only.contains(section)) continue;
                System.err.println("bench: --- " + section);
                try {
                    switch (section) {
                        case "startup" -> StartupScenario.run(runner, plan, report, tree);
                        case "ingest" -> IngestScenario.run(runner, plan, report);
                        case "race" -> RaceScenario.run(runner, plan, report);
                        case "fanout" -> FanoutScenario.run(runner, plan, report);
                        case "queries" -> QueryScenario.run(runner, plan, report, keep);
                        case "hooks" -> HookScenario.run(runner, plan, report, tree, javaBin, hookClasspath);
                        default -> throw new IllegalStateException(section);
                    }
                } catch (Exception e) {
                    report.failure("section " + section + " stopped: " + e);
                }
            }
        }
        report.meta("load_average_at_end", Meta.loadAverage());
        report.meta("handoff_at_end", Meta.handoffRoundTrip());
        report.meta("elapsed_s", Math.round((System.nanoTime() - t0) / 1e9));
        System.out.println(Meta.header(report));
        report.print(System.out);
        report.write(results);
        System.err.printf("bench: %s run took %d s; results in %s%n", plan.mode(), Math.round((System.nanoTime() - t0) / 1e9), results);
        if (!keep) Meta.deleteTree(work, results);
        else System.err.println("bench: kept " + work);
        return report.failures().isEmpty() ? 0 : 1;
    }

    static final class SectionNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SECTIONS.iterator();
        }
    }
}
