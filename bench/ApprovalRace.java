import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The approval race: {@code concurrent} POST /approvals for one session, released together on
 * already-open connections (half tool-specific, as PermissionRequest; half generic, as the
 * permission Notification). A trial passes when the session then has exactly one pending
 * approval, every response named that approval, and it kept the tool-specific details.
 */
final class ApprovalRace {
    private ApprovalRace() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int trials, int passed, int errors, String firstProblem) {}

    static Result run(ServerProcess server, int trials, int concurrent) throws InterruptedException, IOException {
        int passed = 0;
        var errors = new AtomicInteger();
        String firstProblem = null;
        for (int t = 0; t < trials; t++) {
            var sid = "race-" + t;
            try (var setup = server.client(false, 30_000)) {
                setup.post("/events", Payloads.event("race-setup-" + t, sid, "SessionStart", null));
            }
            var ids = new HashSet<Long>();
            var clients = new ArrayList<RawHttp>();
            for (int i = 0; i < concurrent; i++) {
                var c = server.client(false, 30_000);
                c.connect();
                clients.add(c);
            }
            var go = new CountDownLatch(1);
            var done = new CountDownLatch(concurrent);
            for (int i = 0; i < concurrent; i++) {
                var client = clients.get(i);
                boolean toolSpecific = i % 2 == 0;
                var thread = new Thread(() -> {
                    try {
                        go.await();
                        var reply = client.post("/approvals", Payloads.approval(sid, toolSpecific));
                        if (reply.status() != 200) {
                            errors.incrementAndGet();
                        } else {
                            synchronized (ids) {
                                ids.add(JSON.readTree(reply.body()).path("id").asLong());
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    } finally {
                        client.close();
                        done.countDown();
                    }
                }, "race-" + i);
                thread.setDaemon(true);
                thread.start();
            }
            go.countDown();
            if (!done.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("approval race did not finish in 60 s");
            var problem = check(server, sid, ids);
            if (problem == null) passed++;
            else if (firstProblem == null) firstProblem = "trial " + t + ": " + problem;
        }
        return new Result(trials, passed, errors.get(), firstProblem);
    }

    /** Null when the session has exactly one pending approval, the one every response named, tool-specific. */
    private static String check(ServerProcess server, String sid, HashSet<Long> ids) throws IOException {
        JsonNode all;
        try (var http = server.client(false, 30_000)) {
            all = JSON.readTree(http.get("/approvals?status=pending").body());
        }
        var pending = new ArrayList<JsonNode>();
        for (var row : all) if (sid.equals(row.path("session_id").asText())) pending.add(row);
        if (pending.size() != 1) return pending.size() + " pending approvals";
        if (ids.size() != 1 || !ids.contains(pending.get(0).path("id").asLong())) {
            return "responses named approvals " + ids + ", pending is " + pending.get(0).path("id").asLong();
        }
        if (!"Bash".equals(pending.get(0).path("tool_name").asText())) {
            return "the generic notification overwrote the tool-specific request (tool_name "
                    + pending.get(0).path("tool_name") + ")";
        }
        return null;
    }
}
