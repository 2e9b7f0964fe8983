package watchtower.tokens;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token count of one Watchtower session: every main transcript it was given (a session
 * can move to a new transcript, e.g. after /clear) plus, for each, the subagent transcripts
 * Claude Code writes beside it in {@code <transcript without .jsonl>/subagents/*.jsonl}.
 * Each file has its own {@link TranscriptTail} and {@link UsageDedup}, so an update reads
 * only what was appended, and a truncated or replaced file is recounted alone. A file that
 * disappears keeps its count: those tokens were spent. Thread-safe; updates run one at a time.
 */
public final class SessionTokens {
    static final int MAX_TRANSCRIPTS = 64;
    static final int MAX_FILES = 4096;

    private static final System.Logger LOG = System.getLogger("watchtower.tokens");

    private record Tracked(TranscriptTail tail, UsageDedup dedup) {}

    private final Map<Path, Tracked> files = new LinkedHashMap<>();
    private final Map<Path, Boolean> mainTranscripts = new LinkedHashMap<>();

    public Totals update(Path transcript) {
        return update(transcript, Pricing.defaults());
    }

    public synchronized Totals update(Path transcript, Pricing pricing) {
        var main = transcript.toAbsolutePath().normalize();
        if (!mainTranscripts.containsKey(main) && mainTranscripts.size() < MAX_TRANSCRIPTS) {
            mainTranscripts.put(main, true);
        }
        for (var t : mainTranscripts.keySet()) {
            track(t);
            trackSubagents(t);
        }
        var byModel = new HashMap<String, Usage>();
        for (var tracked : files.values()) {
            readNew(tracked);
            tracked.dedup().byModel().forEach((model, usage) -> byModel.merge(model, usage, Usage::plus));
        }
        return Totals.of(byModel, pricing);
    }

    private void readNew(Tracked tracked) {
        try {
            var batch = tracked.tail().read();
            if (batch.restarted()) tracked.dedup().reset();
            batch.lines().forEach(tracked.dedup()::accept);
        } catch (IOException e) {
            // keep the count we had; the next update tries again
            LOG.log(Level.WARNING, "cannot read transcript " + tracked.tail().file() + ": " + e.getMessage());
        }
    }

    private void trackSubagents(Path transcript) {
        var name = transcript.getFileName().toString();
        if (!name.endsWith(".jsonl") || transcript.getParent() == null) return;
        var dir = transcript.resolveSibling(name.substring(0, name.length() - ".jsonl".length())).resolve("subagents");
        if (!Files.isDirectory(dir)) return;
        try (var agents = Files.newDirectoryStream(dir, "*.jsonl")) {
            for (var agent : agents) track(agent.toAbsolutePath().normalize());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + dir + ": " + e.getMessage());
        }
    }

    private void track(Path file) {
        if (files.containsKey(file)) return;
        if (files.size() >= MAX_FILES) {
            LOG.log(Level.WARNING, "not counting " + file + ": session already tracks " + MAX_FILES + " transcripts");
            return;
        }
        files.put(file, new Tracked(new TranscriptTail(file), new UsageDedup()));
    }
}
