package watchtower.approvals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import watchtower.core.Threads;
import watchtower.http.Response;

/**
 * The open PermissionRequest http-hook requests, one per pending approval. No thread waits
 * with them: the exchange is parked here and answered when a person decides, when the
 * approval ends some other way (the terminal answered first: an empty answer, which Claude
 * Code ignores), or just before Claude Code's hook timeout would give up on it.
 */
public final class HeldHooks implements AutoCloseable {
    private record Held(String sessionId, Response.Deferred answer) {}

    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.named("held-hooks", true));
    private final Duration maxHold;

    public HeldHooks(Duration maxHold) {
        this.maxHold = maxHold;
    }

    /** Parks the answer for {@code approvalId}; a later answer for the same approval replaces and releases it. */
    public void hold(long approvalId, String sessionId, Response.Deferred answer) {
        var previous = held.put(approvalId, new Held(sessionId, answer));
        // a newer request for the same prompt replaces the older one (a retried write holds the same one again)
        if (previous != null && previous.answer() != answer) previous.answer().complete(200, Map.of());
        timer.schedule(() -> release(approvalId, answer), maxHold.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Answers the held hook with a decision; false when no hook is held for it (or it already left). */
    public boolean decide(long approvalId, boolean approve, String message) {
        var h = held.remove(approvalId);
        return h != null && h.answer().complete(200, decision(approve, message));
    }

    /** Ends a hold without a decision (the prompt was answered elsewhere, or expired). */
    public void release(long approvalId) {
        var h = held.remove(approvalId);
        if (h != null) h.answer().complete(200, Map.of());
    }

    /** The timeout: forget this answer if it is still the held one, and answer it (a no-op if answered). */
    private void release(long approvalId, Response.Deferred which) {
        held.computeIfPresent(approvalId, (id, h) -> h.answer() == which ? null : h);
        which.complete(200, Map.of());
    }

    public int count() {
        return held.size();
    }

    /** Claude Code's answer format for a PermissionRequest hook. */
    public static Map<String, Object> decision(boolean approve, String message) {
        var decision = new LinkedHashMap<String, Object>();
        decision.put("behavior", approve ? "allow" : "deny");
        if (!approve) decision.put("message", message == null || message.isBlank() ? "Denied in Watchtower" : message);
        var specific = new LinkedHashMap<String, Object>();
        specific.put("hookEventName", "PermissionRequest");
        specific.put("decision", decision);
        return Map.of("hookSpecificOutput", specific);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        held.keySet().forEach(this::release);
    }
}
