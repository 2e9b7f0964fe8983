import java.util.EnumMap;
import java.util.LinkedHashMap;

/** The approval race on both servers: N trials of {@code concurrent} simultaneous POST /approvals. */
final class RaceScenario {
    private RaceScenario() {}

    static void run(Runner runner, Plan plan, Report report) {
        var texts = new EnumMap<Side, String>(Side.class);
        for (var side : Side.values()) {
            var done = runner.fresh(side, "approval-race",
                    server -> ApprovalRace.run(server, plan.raceTrials(), plan.raceConcurrency()));
            if (done.isEmpty()) continue;
            var r = done.get().value();
            texts.put(side, r.passed() + " of " + r.trials() + " trials" + (r.errors() > 0 ? ", " + r.errors() + " failed requests" : ""));
            var raw = new LinkedHashMap<String, Object>();
            raw.put("side", side.label);
            raw.put("trials", r.trials());
            raw.put("passed", r.passed());
            raw.put("errors", r.errors());
            raw.put("first_problem", r.firstProblem());
            report.raw("approval_race", raw);
            System.err.printf("bench: approval race %-9s: %d of %d trials passed%s%n", side.label, r.passed(), r.trials(),
                    r.firstProblem() == null ? "" : " (" + r.firstProblem() + ")");
            if (side == Side.OURS && (r.passed() != r.trials() || r.errors() > 0)) {
                report.failure("approval race: " + texts.get(side) + (r.firstProblem() == null ? "" : "; " + r.firstProblem()));
            }
        }
        report.add(Row.texts("Approvals", plan.raceConcurrency() + " concurrent POST /approvals for one session → exactly one"
                + " pending, named in every response, tool-specific details kept", texts.getOrDefault(Side.OURS, "—"),
                texts.getOrDefault(Side.REFERENCE, "—")));
    }
}
