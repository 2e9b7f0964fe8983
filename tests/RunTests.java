///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.junit.jupiter:junit-jupiter:5.14.4
//DEPS org.junit.platform:junit-platform-launcher:1.14.4
//DEPS org.xerial:sqlite-jdbc:3.54.1.0
//DEPS org.postgresql:postgresql:42.7.14
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0
//DEPS info.picocli:picocli:4.7.7
//DEPS org.seleniumhq.selenium:selenium-java:4.52.0
//JAVA_OPTIONS --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED
//SOURCES ../src/watchtower/core/*.java
//SOURCES watchtower/core/*.java
//SOURCES ../src/watchtower/http/*.java
//SOURCES watchtower/http/*.java
//SOURCES ../src/watchtower/store/*.java
//SOURCES ../src/watchtower/security/*.java
//SOURCES ../src/watchtower/approvals/*.java
//SOURCES ../src/watchtower/ingest/*.java
//SOURCES ../src/watchtower/sessions/*.java
//SOURCES ../src/watchtower/settings/*.java
//SOURCES ../src/watchtower/machines/*.java
//SOURCES watchtower/machines/*.java
//SOURCES ../src/watchtower/team/*.java
//SOURCES ../src/watchtower/server/*.java
//SOURCES watchtower/team/*.java
//SOURCES watchtower/testing/*.java
//SOURCES watchtower/server/*.java
//SOURCES watchtower/sessions/*.java
//SOURCES watchtower/store/*.java
//SOURCES watchtower/security/*.java
//SOURCES watchtower/ingest/*.java
//SOURCES watchtower/catalog/*.java
//FILES static/=../static/**
//SOURCES ../WtHook.java
//SOURCES ../Watchtower.java
//SOURCES ../src/watchtower/hook/*.java
//SOURCES watchtower/hook/*.java
//SOURCES ../src/watchtower/tokens/*.java
//SOURCES watchtower/tokens/*.java
//SOURCES ../src/watchtower/websocket/*.java
//SOURCES watchtower/websocket/*.java
//SOURCES watchtower/compat/*.java
//SOURCES ../src/watchtower/control/*.java
//SOURCES watchtower/control/*.java
//SOURCES ../src/watchtower/agent/*.java
//SOURCES watchtower/agent/*.java
//SOURCES watchtower/dashboard/*.java
//SOURCES ../src/watchtower/ctl/*.java
//SOURCES watchtower/ctl/*.java
//SOURCES ../WtCtl.java
//SOURCES ../src/watchtower/install/*.java
//SOURCES watchtower/install/*.java
//SOURCES e2e/*.java
//DESCRIPTION Runs every test. Example: ./jbang tests/RunTests.java [ClassNameRegex]

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import watchtower.testing.TestDb;
import watchtower.testing.TestPostgres;

/**
 * The test runner: discovers every *Test class compiled into this script's jar, runs it on
 * the JUnit Platform, prints one line per test and, last, "N passed, N failed" (", N skipped").
 * The tests that store through a server then run again on PostgreSQL (see TestPostgres).
 * Exits 1 when anything failed or when no test ran, so CI cannot pass on an empty run.
 */
public class RunTests {
    /**
     * The tests that run a second time on PostgreSQL: those whose outcome depends on the store
     * (not the HTTP limits, the command line's formatting or the keystroke timing, which are the same).
     */
    static final String POSTGRES_PASS = String.join("|",
            "watchtower\\.(store|sessions|ingest|approvals|tokens|machines|agent|team)\\..*Test",
            "watchtower\\.server\\.(BadInput|LiveStream)Test",
            "watchtower\\.control\\.(SessionControl|Close|SpawnFork|Checkpoint|ControlErrors)Test",
            "watchtower\\.ctl\\.MachineCommandTest",
            "watchtower\\.security\\.HttpSecurityTest");

    public static void main(String[] args) throws Exception {
        var pattern = args.length > 0 ? args[0] : ".*Test";
        var jar = Path.of(RunTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var summary = run(jar, pattern);

        var pgSummary = (TestExecutionSummary) null;
        if (matchesAny(jar, pattern)) {
            var whyNot = new StringBuilder();
            var pg = TestPostgres.find(whyNot);
            System.out.println();
            if (pg.isEmpty()) {
                System.out.println("PostgreSQL pass skipped: " + whyNot);
            } else {
                try (var server = pg.get()) {
                    System.out.println("--- the same tests again, on PostgreSQL (" + server.url() + ") ---");
                    System.setProperty(TestDb.PROPERTY, server.url());
                    pgSummary = run(jar, pattern, POSTGRES_PASS);
                } finally {
                    System.clearProperty(TestDb.PROPERTY);
                }
            }
        }

        long failed = 0, passed = 0, skipped = 0;
        for (var s : pgSummary == null ? List.of(summary) : List.of(summary, pgSummary)) {
            if (s.getTotalFailureCount() > 0) {
                System.out.println();
                s.printFailuresTo(new PrintWriter(System.out, true), 25);
            }
            failed += s.getTestsFailedCount() + s.getContainersFailedCount();
            passed += s.getTestsSucceededCount();
            skipped += s.getTestsSkippedCount() + s.getTestsAbortedCount();
        }
        System.out.println();
        System.out.println(passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : ""));
        System.exit(failed > 0 || passed == 0 ? 1 : 0);
    }

    private static TestExecutionSummary run(Path jar, String... patterns) {
        var builder = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(jar)))
                .configurationParameter("junit.jupiter.execution.timeout.default", "5m");
        for (var p : patterns) builder.filters(includeClassNamePatterns(p));
        var summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(builder.build(), summary, new Progress());
        return summary.getSummary();
    }

    /** Whether any test class the pattern selects also belongs to the PostgreSQL pass. */
    private static boolean matchesAny(Path jar, String pattern) {
        var plan = LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(jar)))
                .filters(includeClassNamePatterns(pattern), includeClassNamePatterns(POSTGRES_PASS)).build());
        return plan.containsTests();
    }

    /** One line per finished test with its duration, so a long CI log shows where the time goes. */
    static final class Progress implements TestExecutionListener {
        private final java.util.Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) System.out.println("skip  " + id.getLegacyReportingName() + "  (" + reason + ")");
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) return;
            var where = id.getUniqueIdObject().getSegments().stream()
                    .filter(seg -> seg.getType().equals("class"))
                    .map(seg -> seg.getValue().replaceFirst(".*\\.", ""))
                    .findFirst().orElse("");
            var status = switch (result.getStatus()) {
                case SUCCESSFUL -> "ok   ";
                case ABORTED -> "skip ";
                case FAILED -> "FAIL ";
            };
            var reason = result.getThrowable().filter(t -> result.getStatus() == TestExecutionResult.Status.ABORTED)
                    .map(t -> "  (" + t.getMessage() + ")").orElse("");
            var begun = started.remove(id.getUniqueId());
            var ms = begun == null ? 0 : (System.nanoTime() - begun) / 1_000_000;
            System.out.println(status + where + " " + id.getDisplayName() + reason + (ms >= 1000 ? "  [" + ms / 1000.0 + " s]" : ""));
        }
    }
}
