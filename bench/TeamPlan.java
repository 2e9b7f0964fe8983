import java.time.Duration;

/**
 * How big the team-mode benchmark is. {@link #full()} keeps under about five minutes on two busy
 * cores; {@link #quick()} (--short, for CI) only proves that every case still runs end to end.
 * The ingest spec is the whole load: team mode gives each instance its share of the clients.
 */
record TeamPlan(String mode, int rounds, IngestLoad.Spec ingest, int listeners, int fanoutPerSecond,
                Duration fanoutLength, Duration wsConnectTimeout) {

    static TeamPlan full() {
        return new TeamPlan("full", 3,
                new IngestLoad.Spec(8, true, 100, Duration.ofMillis(1500), Duration.ofSeconds(4), 400_000),
                100, 200, Duration.ofSeconds(6), Duration.ofSeconds(60));
    }

    static TeamPlan quick() {
        return new TeamPlan("short", 1,
                new IngestLoad.Spec(8, true, 40, Duration.ofMillis(300), Duration.ofSeconds(1), 3_000),
                10, 50, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    int fanoutEvents() {
        return (int) Math.max(1, fanoutPerSecond * fanoutLength.toMillis() / 1000);
    }

    /** Instance {@code i}'s share of the ingest load: its clients and its priming requests. */
    IngestLoad.Spec ingestShare(int instances, int i) {
        int clients = ingest.clients() / instances + (i < ingest.clients() % instances ? 1 : 0);
        return new IngestLoad.Spec(clients, ingest.keepAlive(), ingest.prime() / instances, ingest.warmup(),
                ingest.window(), ingest.maxRequests());
    }

    /** Listeners on instance {@code i}: split evenly, the first takes any remainder. */
    int listenersOn(int instances, int i) {
        return listeners / instances + (i == 0 ? listeners % instances : 0);
    }

    TeamPlan withRounds(int n) {
        return new TeamPlan(mode, n, ingest, listeners, fanoutPerSecond, fanoutLength, wsConnectTimeout);
    }
}
