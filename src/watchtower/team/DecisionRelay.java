package watchtower.team;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import watchtower.approvals.HeldHooks;
import watchtower.http.Json;

/**
 * Channel {@code wt_decide}: a decision this instance cannot deliver (the PermissionRequest hook
 * is held by another instance) is offered to all; the holder answers its hook and acknowledges,
 * so the decider can say truthfully whether the agent was answered.
 */
final class DecisionRelay {
    static final String CHANNEL = "wt_decide";

    private final Notices notices;
    private final Map<Long, CompletableFuture<Boolean>> awaitingAck = new ConcurrentHashMap<>();

    DecisionRelay(Notices notices, HeldHooks held) {
        this.notices = notices;
        notices.on(CHANNEL, (from, body) -> {
            var node = Json.MAPPER.readTree(body);
            long id = node.path("id").asLong();
            switch (node.path("op").asText()) {
                case "decide" -> {
                    if (from.equals(notices.instance())) return;
                    var message = node.path("message").asText("");
                    if (held.decide(id, node.path("approve").asBoolean(), message.isEmpty() ? null : message)) {
                        notices.send(CHANNEL, Json.write(Map.of("op", "answered", "id", id, "to", from)));
                    }
                }
                case "answered" -> {
                    if (!node.path("to").asText().equals(notices.instance())) return;
                    var ack = awaitingAck.get(id);
                    if (ack != null) ack.complete(true);
                }
                default -> { }
            }
        });
    }

    /** Asks the other instances to answer the approval's held hook; true when one did within {@code wait}. */
    boolean decideElsewhere(long approvalId, boolean approve, String message, Duration wait) {
        var ack = new CompletableFuture<Boolean>();
        awaitingAck.put(approvalId, ack);
        try {
            notices.send(CHANNEL, Json.write(Map.of("op", "decide", "id", approvalId, "approve", approve,
                    "message", message == null ? "" : message)));
            return ack.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false; // nobody held it within the wait
        } finally {
            awaitingAck.remove(approvalId);
        }
    }
}
