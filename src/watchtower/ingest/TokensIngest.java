package watchtower.ingest;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import watchtower.core.Threads;
import watchtower.http.ApiError;
import watchtower.http.Json;
import watchtower.store.SessionsStore;
import watchtower.store.Store;
import watchtower.tokens.Pricing;
import watchtower.tokens.TokenTracker;
import watchtower.tokens.Totals;

/**
 * Token totals from a session's transcript, read incrementally by the tokens package and
 * written to the session (the reference's input_tokens = input + both cache kinds stays, the
 * kinds are kept apart beside it, with the cost). http hooks refresh in the background, one
 * pass per session at a time; `wthook tokens` asks synchronously.
 */
public final class TokensIngest implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.ingest");
    public static final String PRICING_SETTING = "pricing";

    private final Store store;
    private final TokenTracker tracker = new TokenTracker();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(1000), Threads.named("tokens", true), new ThreadPoolExecutor.DiscardPolicy());
    private final java.util.concurrent.ScheduledExecutorService later =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Threads.named("tokens-later", true));

    /**
     * Claude Code writes a turn's last transcript line up to ~100 ms after the Stop hook fires
     * (measured), so a refresh on Stop reads again a little later to count that response too.
     */
    static final long SECOND_PASS_MS = 1500;

    public TokensIngest(Store store) {
        this.store = store;
    }

    /** Reads the transcript now and stores the totals; 404 for an unknown session, 422 for a bad path. */
    public Map<String, Object> fromTranscript(String sessionId, String transcriptPath) {
        var path = checkTranscript(transcriptPath);
        if (store.sessions().find(sessionId).isEmpty()) throw ApiError.notFound("session not found");
        var totals = tracker.update(sessionId, path, pricing());
        write(sessionId, totals, path);
        return summary(totals);
    }

    /** Schedules a refresh now and a second pass shortly after; requests while one waits collapse into it. */
    public void refreshLater(String sessionId, String transcriptPath) {
        Path path;
        try {
            path = checkTranscript(transcriptPath);
        } catch (ApiError e) {
            return;
        }
        refresh(sessionId, path);
        try {
            later.schedule(() -> refresh(sessionId, path), SECOND_PASS_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shutting down: the first pass is all there will be
        }
    }

    private void refresh(String sessionId, Path path) {
        if (!queued.add(sessionId)) return;
        background.execute(() -> {
            queued.remove(sessionId);
            try {
                if (store.sessions().find(sessionId).isEmpty()) return;
                write(sessionId, tracker.update(sessionId, path, pricing()), path);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "token refresh for " + sessionId + " failed: " + e.getMessage());
            }
        });
    }

    private Pricing pricing() {
        try {
            return Pricing.withOverrides(store.settings().get(PRICING_SETTING).orElse(null));
        } catch (IllegalArgumentException e) {
            return Pricing.defaults(); // validated on write; an old bad value must not stop counting
        }
    }

    private void write(String sessionId, Totals totals, Path path) {
        var t = totals.total();
        var breakdown = new SessionsStore.TokenBreakdown(totals.inputTokensWithCache(), t.output(), t.input(),
                t.cacheCreation(), t.cacheRead(), totals.costUsd().map(c -> c.doubleValue()).orElse(null),
                Json.write(totals.byModel()), path.toString());
        store.writer().execute(sessionId, tx -> {
            if (!store.sessions().setTokenBreakdown(tx, sessionId, breakdown)) return null;
            var msg = new LinkedHashMap<String, Object>();
            msg.put("type", "session");
            msg.put("session_id", sessionId);
            msg.putAll(summary(totals));
            msg.remove("ok");
            tx.broadcast(msg);
            return null;
        });
    }

    private static Map<String, Object> summary(Totals totals) {
        var out = new LinkedHashMap<String, Object>();
        var t = totals.total();
        out.put("ok", true);
        out.put("input_tokens", totals.inputTokensWithCache());
        out.put("output_tokens", t.output());
        out.put("fresh_input_tokens", t.input());
        out.put("cache_creation_tokens", t.cacheCreation());
        out.put("cache_read_tokens", t.cacheRead());
        out.put("cost_usd", totals.costUsd().map(c -> (Object) c).orElse(null));
        return out;
    }

    /** A transcript is an absolute path to a regular .jsonl file (not a symlink, not a device). */
    static Path checkTranscript(String raw) {
        Path path;
        try {
            path = Path.of(raw).normalize();
        } catch (InvalidPathException e) {
            throw ApiError.unprocessable("transcript_path is not a valid path");
        }
        if (!path.isAbsolute() || !path.getFileName().toString().endsWith(".jsonl")) {
            throw ApiError.unprocessable("transcript_path must be an absolute path to a .jsonl file");
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw ApiError.unprocessable("transcript_path does not name a readable transcript");
        }
        return path;
    }

    @Override
    public void close() {
        later.shutdownNow();
        background.shutdownNow();
    }
}
