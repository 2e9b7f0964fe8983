import java.time.Duration;
import java.util.List;

/**
 * How big each scenario is. {@link #full()} is the real run (about 25 minutes on two
 * cores); {@link #quick()} (--short, for CI) runs every scenario tiny, with no 100k/1M data,
 * only to prove the benchmark still works end to end. Every loop is bounded by a count and a
 * time, both set here.
 */
record Plan(String mode, int rounds,
            List<IngestLoad.Spec> ingest, int listenersDuringIngest,
            List<Fanout.Spec> fanouts, Duration wsConnectTimeout,
            int raceTrials, int raceConcurrency,
            List<DataSet.Shape> shapes, int queryWarmup, int querySamples, Duration queryLimit,
            int bashHookRuns, int jbangHookRuns, int javaHookRuns, int httpHookRuns,
            int startupRuns, int jbangStartupRuns) {

    static Plan full() {
        var warm = Duration.ofSeconds(15); // C2 compiles the request path in the first seconds of load; count after it
        var window = Duration.ofSeconds(6);
        long max = 400_000;
        int prime = 500;
        return new Plan("full", 3,
                List.of(new IngestLoad.Spec(1, true, prime, warm, window, max),
                        new IngestLoad.Spec(8, true, prime, warm, window, max),
                        new IngestLoad.Spec(32, true, prime, warm, window, max),
                        new IngestLoad.Spec(1, false, prime, warm, window, max),
                        new IngestLoad.Spec(8, false, prime, warm, window, max)),
                100,
                List.of(new Fanout.Spec(10, 200, Duration.ofSeconds(5), Duration.ofSeconds(10), 2_000),
                        new Fanout.Spec(100, 200, Duration.ofSeconds(5), Duration.ofSeconds(10), 2_000),
                        new Fanout.Spec(1_000, 20, Duration.ofSeconds(5), Duration.ofSeconds(10), 200)),
                Duration.ofSeconds(120),
                5, 50,
                List.of(new DataSet.Shape("50s-1m", 50, 1_000_000),
                        new DataSet.Shape("10k-1m", 10_000, 1_000_000),
                        new DataSet.Shape("100k-1m", 100_000, 1_000_000)),
                300, 100, Duration.ofSeconds(15),
                20, 3, 20, 2_000,
                5, 5);
    }

    static Plan quick() {
        var warm = Duration.ofMillis(300);
        var window = Duration.ofSeconds(1);
        long max = 3_000;
        int prime = 200;
        return new Plan("short", 1,
                List.of(new IngestLoad.Spec(1, true, prime, warm, window, max),
                        new IngestLoad.Spec(8, true, prime, warm, window, max),
                        new IngestLoad.Spec(32, true, prime, warm, window, max),
                        new IngestLoad.Spec(8, false, prime, warm, window, max)),
                10,
                List.of(new Fanout.Spec(10, 100, Duration.ZERO, Duration.ofSeconds(1), 100),
                        new Fanout.Spec(50, 50, Duration.ZERO, Duration.ofSeconds(1), 50)),
                Duration.ofSeconds(30),
                1, 50,
                List.of(new DataSet.Shape("200s-20k", 200, 20_000)),
                2, 10, Duration.ofSeconds(5),
                3, 1, 3, 200,
                1, 0);
    }

    /** The keep-alive spec at 8 clients: the one the listeners case and the p99 target compare with. */
    IngestLoad.Spec eightKeepAlive() {
        return ingest.stream().filter(s -> s.clients() == 8 && s.keepAlive()).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan has no keep-alive 8-client ingest"));
    }

    Plan withRounds(int n) {
        return new Plan(mode, n, ingest, listenersDuringIngest, fanouts, wsConnectTimeout, raceTrials, raceConcurrency,
                shapes, queryWarmup, querySamples, queryLimit, bashHookRuns, jbangHookRuns, javaHookRuns, httpHookRuns,
                startupRuns, jbangStartupRuns);
    }
}
