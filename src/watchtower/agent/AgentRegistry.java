package watchtower.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import watchtower.core.Threads;
import watchtower.http.ApiError;
import watchtower.http.Response;

/**
 * The server's side of `wtctl agent`: per machine, a queue of commands and at most one parked
 * poll ({@code GET /agent/next}). A poll is answered at once when a command waits, else parked
 * without a thread (as HeldHooks parks a hook) until a command is queued or its wait is over.
 * {@link #call} queues a command and waits, bounded, for the result the agent posts back. A
 * machine is online while a poll is parked or one ended within {@link #ONLINE_WINDOW}.
 */
public final class AgentRegistry implements AutoCloseable {
    /** An agent polls again at once after each answer, and waits at most 30 s per poll. */
    public static final Duration ONLINE_WINDOW = Duration.ofSeconds(35);

    /** What an agent answered: {@code result} when ok, else {@code error} and the HTTP status it maps to. */
    public record Result(boolean ok, ObjectNode result, String error, int status) {}

    private record Pending(String machine, CompletableFuture<Result> future) {}

    /**
     * Team mode: the agent may be polling another instance behind the same URL. Tried first when
     * no poll of the machine is parked here; empty when no instance has one either.
     */
    public interface Elsewhere {
        Optional<Result> call(String machine, ObjectNode command, Duration timeout);
    }

    private volatile Elsewhere elsewhere;
    private final Map<String, Line> lines = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Threads.named("agent-polls", true));

    /** One machine's queue and parked poll; every field is guarded by the Line's monitor. */
    private static final class Line {
        final ArrayDeque<ObjectNode> queue = new ArrayDeque<>();
        Response.Deferred parked;
        long lastSeenNanos;
        Instant lastSeenAt;
    }

    /**
     * A poll from {@code machine}: answers {@code res} now with the next command if one waits
     * ({@code {"command": {...}}}), else parks it for up to {@code wait} and answers
     * {@code {"command": null}} when nothing came.
     */
    public void poll(String machine, Duration wait, Response res) throws java.io.IOException {
        var line = line(machine);
        ObjectNode next;
        synchronized (line) {
            seen(line);
            next = line.queue.poll();
        }
        if (next != null) {
            try {
                res.json(200, envelope(next));
            } catch (java.io.IOException e) {
                requeue(line, next); // the agent went away before reading it: the next poll gets it
                throw e;
            }
            return;
        }
        if (wait.isZero()) {
            res.json(200, envelope(null));
            return;
        }
        var answer = res.detach();
        Response.Deferred replaced;
        synchronized (line) {
            replaced = line.parked;
            line.parked = answer;
        }
        if (replaced != null) replaced.complete(200, envelope(null)); // one poll per machine: the newest wins
        timer.schedule(() -> expire(line, answer), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues {@code command} for {@code machine} and waits up to {@code timeout} for its result. */
    public Result call(String machine, ObjectNode command, Duration timeout) {
        var other = elsewhere;
        if (other != null && !polling(machine)) {
            var answered = other.call(machine, command, timeout);
            if (answered.isPresent()) return answered.get();
        }
        if (!online(machine)) throw ApiError.unavailable(offline(machine));
        var id = UUID.randomUUID().toString();
        command.put("id", id);
        var future = new CompletableFuture<Result>();
        pending.put(id, new Pending(machine, future));
        var line = line(machine);
        try {
            deliver(line, command);
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            boolean neverSent;
            synchronized (line) {
                neverSent = line.queue.remove(command); // never run a command after its caller gave up
            }
            throw ApiError.unavailable("machine " + machine + " did not answer within " + timeout.toSeconds() + " s"
                    + (neverSent ? " (its `wtctl agent` stopped polling)" : " (its `wtctl agent` is still running the command)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while waiting for machine " + machine);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /** A result posted by {@code machine}; false when no command of that machine with that id waits. */
    public boolean complete(String machine, String id, Result result) {
        var p = pending.get(id);
        if (p == null || !p.machine().equals(machine)) return false; // a machine answers only its own commands
        return p.future().complete(result);
    }

    public void reachOthersThrough(Elsewhere other) {
        this.elsewhere = other;
    }

    /** Whether the machine's agent has a poll parked here right now (so a command reaches it at once). */
    public boolean polling(String machine) {
        var line = lines.get(machine);
        if (line == null) return false;
        synchronized (line) {
            return line.parked != null;
        }
    }

    /** Machines whose agents poll this instance now (team mode tells the other instances). */
    public java.util.List<String> onlineMachines() {
        return lines.keySet().stream().filter(this::online).sorted().toList();
    }

    public boolean online(String machine) {
        var line = lines.get(machine);
        if (line == null) return false;
        synchronized (line) {
            return line.parked != null
                    || (line.lastSeenAt != null && System.nanoTime() - line.lastSeenNanos < ONLINE_WINDOW.toNanos());
        }
    }

    /** When the machine's agent was last heard from (since this server started). */
    public Optional<Instant> lastSeen(String machine) {
        var line = lines.get(machine);
        if (line == null) return Optional.empty();
        synchronized (line) {
            return Optional.ofNullable(line.lastSeenAt);
        }
    }

    /** The 503 text for a machine whose agent is not polling. */
    public String offline(String machine) {
        var since = lastSeen(machine).map(t -> "for " + Duration.between(t, Instant.now()).toSeconds() + " s")
                .orElse("since this server started");
        return "machine " + machine + " is offline: no `wtctl agent` has connected " + since
                + " (run `wtctl agent` on " + machine + " with its machine token)";
    }

    // --- internals ---

    private Line line(String machine) {
        return lines.computeIfAbsent(machine, m -> new Line());
    }

    private static void seen(Line line) {
        line.lastSeenNanos = System.nanoTime();
        line.lastSeenAt = Instant.now();
    }

    /** Hands the command to the parked poll, or queues it for the next one. */
    private void deliver(Line line, ObjectNode command) {
        Response.Deferred poll;
        synchronized (line) {
            poll = line.parked;
            line.parked = null;
            if (poll == null) {
                line.queue.add(command);
                return;
            }
            seen(line);
        }
        // false only if the agent went away (its poll was ours alone): keep it for the next poll
        if (!poll.complete(200, envelope(command))) requeue(line, command);
    }

    private static void requeue(Line line, ObjectNode command) {
        synchronized (line) {
            line.queue.addFirst(command);
        }
    }

    private static void expire(Line line, Response.Deferred answer) {
        synchronized (line) {
            if (line.parked != answer) return; // already answered with a command, or replaced
            line.parked = null;
            seen(line);
        }
        answer.complete(200, envelope(null));
    }

    private static Map<String, Object> envelope(JsonNode command) {
        var out = new LinkedHashMap<String, Object>();
        out.put("command", command);
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (var line : lines.values()) {
            Response.Deferred poll;
            synchronized (line) {
                poll = line.parked;
                line.parked = null;
            }
            if (poll != null) poll.complete(200, envelope(null));
        }
        pending.values().forEach(p -> p.future().complete(new Result(false, null, "the server is stopping", 503)));
    }
}
