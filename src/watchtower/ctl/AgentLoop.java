package watchtower.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import watchtower.control.Machine;
import watchtower.control.MachineOps;
import watchtower.http.ApiError;
import watchtower.http.Json;

/**
 * The loop of `wtctl agent`: long-polls {@code GET /agent/next} with the machine's token, runs
 * each command on this machine (MachineOps checks it again first: the agent trusts no command
 * it would not have built itself), posts the result to {@code /agent/results}, and polls again.
 * Every connection is outbound, so the machine needs no open port. While the server cannot be
 * reached it retries with a growing pause (1 s up to 30 s); a refused token ends the loop,
 * because retrying cannot fix it. {@link #stop()} ends it from any thread, even mid-poll.
 */
public final class AgentLoop implements Runnable {
    static final int WAIT_SECONDS = 25;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int REMEMBERED = 256;

    /** How the loop ended: stopped, or the server refused the token (nothing a retry can fix). */
    public enum Outcome { STOPPED, REFUSED }

    private final String base;
    private final String token;
    private final Machine machine;
    private final Consumer<String> log;
    private final int waitSeconds;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile HttpURLConnection current;
    private volatile Outcome outcome = Outcome.STOPPED;
    /** Results of the latest commands by id: a command delivered twice (a poll lost on the way) runs once. */
    private final Map<String, ObjectNode> done = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > REMEMBERED;
        }
    };

    public AgentLoop(String base, String token, Machine machine, Consumer<String> log) {
        this(base, token, machine, log, WAIT_SECONDS);
    }

    AgentLoop(String base, String token, Machine machine, Consumer<String> log, int waitSeconds) {
        this.base = base.replaceAll("/+$", "");
        this.token = token;
        this.machine = machine;
        this.log = log;
        this.waitSeconds = waitSeconds;
    }

    @Override
    public void run() {
        try {
            var backoff = Duration.ofSeconds(1);
            boolean connected = false;
            while (!isStopped()) {
                Reply reply;
                try {
                    reply = send("GET", "/agent/next?wait=" + waitSeconds, null, (waitSeconds + 15) * 1000);
                } catch (IOException e) {
                    if (isStopped()) break;
                    log.accept((connected ? "lost the connection to " : "cannot reach ") + base + " (" + ApiClient.describe(e)
                            + "); retrying in " + backoff.toSeconds() + " s");
                    connected = false;
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                    continue;
                }
                if (reply.status() == 401 || reply.status() == 403) {
                    log.accept("refused by " + base + ": " + detail(reply) + " (is --token this machine's token?)");
                    outcome = Outcome.REFUSED;
                    break;
                }
                if (reply.status() != 200) {
                    log.accept(base + " answered " + reply.status() + " (" + detail(reply) + "); retrying in "
                            + backoff.toSeconds() + " s");
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                    continue;
                }
                if (!connected) log.accept("connected to " + base + "; waiting for commands");
                connected = true;
                backoff = Duration.ofSeconds(1);
                var command = parse(reply.body()).get("command");
                if (command instanceof ObjectNode c) handle(c);
            }
        } finally {
            finished.countDown();
        }
    }

    /** Ends the loop: an open poll is cut, a running command finishes and posts its result first. */
    public void stop() {
        stopped.countDown();
        var c = current;
        if (c != null) c.disconnect();
    }

    /** Waits for the loop to end after {@link #stop()}; false if it is still running after {@code max}. */
    public boolean awaitFinished(Duration max) throws InterruptedException {
        return finished.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Outcome outcome() {
        return outcome;
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void handle(ObjectNode command) {
        var id = command.path("id").asText("");
        if (id.isEmpty()) {
            log.accept("ignored a command without an id");
            return;
        }
        var result = done.get(id);
        long start = System.nanoTime();
        if (result == null) {
            result = execute(command);
            done.put(id, result);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        log.accept(describe(command) + " -> " + (result.path("ok").asBoolean()
                ? "ok" : "refused: " + result.path("error").asText("")) + " (" + ms + " ms)");
        post(result);
    }

    /** Runs one command here; a refusal or failure becomes {ok: false, status, error}, never an exception. */
    private ObjectNode execute(ObjectNode command) {
        var out = Json.MAPPER.createObjectNode().put("id", command.path("id").asText());
        try {
            out.put("ok", true);
            out.set("result", MachineOps.run(command, machine));
        } catch (ApiError e) {
            out.put("ok", false).put("status", e.status()).put("error", e.detail());
        } catch (RuntimeException e) {
            out.put("ok", false).put("status", 409).put("error", "the agent failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return out;
    }

    /** Posts a result, retrying briefly while the server is unreachable (its caller waits at most 15 s). */
    private void post(ObjectNode result) {
        var body = Json.write(result);
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                var reply = send("POST", "/agent/results", body, 15_000);
                if (reply.status() != 200) log.accept("result " + result.path("id").asText() + " not taken: " + detail(reply));
                return;
            } catch (IOException e) {
                if (isStopped() && attempt > 1) return;
                pause(Duration.ofSeconds(attempt));
            }
        }
        log.accept("result " + result.path("id").asText() + " not delivered: " + base + " unreachable");
    }

    /** "type 3f2a..." : the op and the session, never the typed text (it may be a secret). */
    private static String describe(JsonNode command) {
        var op = command.path("op").asText("?");
        var session = command.path("session_id").asText("");
        return session.isEmpty() ? op : op + " " + Format.clip(Format.clean(session), 40);
    }

    private record Reply(int status, String body) {}

    private Reply send(String method, String path, String body, int readTimeoutMs) throws IOException {
        // no proxy: the machine token goes straight to Watchtower
        var conn = (HttpURLConnection) URI.create(base + path).toURL().openConnection(Proxy.NO_PROXY);
        current = conn;
        try {
            conn.setConnectTimeout(ApiClient.CONNECT_TIMEOUT_MS);
            conn.setReadTimeout(readTimeoutMs);
            conn.setInstanceFollowRedirects(false);
            conn.setRequestMethod(method);
            conn.setRequestProperty("Accept", "application/json");
            conn.setRequestProperty("X-UVS-Token", token);
            if (body != null) {
                conn.setDoOutput(true);
                conn.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = conn.getResponseCode();
            try (InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream()) {
                return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            current = null;
            conn.disconnect();
        }
    }

    private static JsonNode parse(String body) {
        try {
            var node = Json.MAPPER.readTree(body);
            return node == null ? Json.MAPPER.createObjectNode() : node;
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode(); // not an answer of ours: nothing to run
        }
    }

    private static String detail(Reply reply) {
        return ApiClient.detailOf(reply.body()).map(Format::clean).orElse("HTTP " + reply.status());
    }

    /** Waits, or returns early when stopped: Ctrl-C never waits out a backoff. */
    private void pause(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
