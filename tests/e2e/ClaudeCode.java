package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Claude Code client in a private tmux pane, offline (CLAUDE-CODE.md §1): a scratch
 * HOME whose {@code .claude.json} skips every first-run dialog and trusts the project, the
 * API at a local fake, telemetry and updates off. It drives the terminal the way a person
 * does, with the precautions the measurements call for: wait for the "mode on" footer before
 * typing, see the typed prompt before pressing Enter, and answer a permission prompt only
 * after it has been on screen a moment, re-sending only while it is still shown.
 */
final class ClaudeCode implements AutoCloseable {
    static final String VERSION = "2.1.330";
    static final String SESSION = "claude";
    /** The footer of a ready input line ("⏸ manual mode on", "⏵⏵ auto mode on"). */
    static final String READY = "mode on";
    /** The last line of every permission prompt. */
    static final String PERMISSION_PROMPT = "Esc to cancel";
    /** Keys sent within 0.25 s of a session's first prompt were lost 6 times in 24 (CLAUDE-CODE.md §2). */
    static final Duration KEY_DEBOUNCE = Duration.ofMillis(1000);

    /** Set in the client's environment, so its hooks' processes can be found and waited for. */
    static final String MARKER = "WT_E2E_RUN";

    private final Tmux tmux;
    private final Path home;
    private final String marker;

    private ClaudeCode(Tmux tmux, Path home, String marker) {
        this.tmux = tmux;
        this.home = home;
        this.marker = marker;
    }

    /** The pinned client: WATCHTOWER_CLAUDE_BIN, else where .ci/npm-tools.sh installs it. */
    static Optional<Path> binary() {
        var candidates = new ArrayList<String>();
        var explicit = System.getenv("WATCHTOWER_CLAUDE_BIN");
        if (explicit != null && !explicit.isBlank()) candidates.add(explicit);
        var prefix = System.getenv("UVS_CI_PREFIX");
        if (prefix != null && !prefix.isBlank()) candidates.add(prefix + "/node_modules/.bin/claude");
        candidates.add(System.getProperty("user.home") + "/.cache/uvs-ci/node_modules/.bin/claude");
        for (var c : candidates) {
            var p = Path.of(c);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The client, or the test is skipped with the reason (and the fix). */
    static Path requireBinary() {
        var bin = binary();
        Assumptions.assumeTrue(bin.isPresent(), "Claude Code " + VERSION + " is not installed: run .ci/npm-tools.sh"
                + " (installs it into ~/.cache/uvs-ci) or set WATCHTOWER_CLAUDE_BIN");
        Assumptions.assumeTrue(onPath("tmux"), "tmux is not installed");
        return bin.get();
    }

    /**
     * Starts {@code claude args...} in {@code project} with {@code extraEnv} on top of the
     * offline environment; returns once the input line is ready.
     */
    static ClaudeCode start(Tmux tmux, Path binary, Path home, Path project, String apiUrl, Map<String, String> extraEnv,
                            List<String> args) throws IOException, InterruptedException {
        seedHome(home, project);
        var env = new LinkedHashMap<String, String>();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", apiUrl);
        env.put("ANTHROPIC_API_KEY", "dummy");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.putAll(extraEnv);
        var marker = tmux.socket();
        env.put(MARKER, marker);
        var command = new ArrayList<String>();
        command.add(binary.toString());
        command.addAll(args);
        tmux.start(SESSION, project, env, command);
        var claude = new ClaudeCode(tmux, home, marker);
        claude.awaitScreen(s -> s.contains(READY), Duration.ofSeconds(60), "the ready footer ('" + READY + "')");
        return claude;
    }

    /** ~/.claude.json that goes straight to the prompt (CLAUDE-CODE.md §1). */
    static void seedHome(Path home, Path project) throws IOException {
        Files.createDirectories(home);
        var json = new ObjectMapper().createObjectNode();
        json.put("hasCompletedOnboarding", true).put("lastOnboardingVersion", VERSION).put("theme", "dark")
                .put("numStartups", 3).put("hasSeenAutoDefaultNotice", true);
        var keys = json.putObject("customApiKeyResponses");
        keys.putArray("approved").add("dummy");
        keys.putArray("rejected");
        json.putObject("projects").putObject(project.toString()).put("hasTrustDialogAccepted", true)
                .put("hasCompletedProjectOnboarding", true).putArray("allowedTools");
        Files.writeString(home.resolve(".claude.json"), json.toString(), UTF_8);
    }

    String screen() {
        return tmux.capture(SESSION);
    }

    /** Polls the pane until {@code condition} holds; fails with the last screen. */
    String awaitScreen(Predicate<String> condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = screen();
            if (condition.test(last)) return last;
            TimeUnit.MILLISECONDS.sleep(150);
        }
        throw new AssertionError("Claude Code: " + what + " not on screen within " + timeout.toSeconds() + " s. Screen:\n"
                + last.strip());
    }

    /** Types a prompt, waits until it shows in the input line, then submits it. */
    void prompt(String text) throws InterruptedException {
        tmux.type(SESSION, text);
        awaitScreen(s -> s.contains("❯ " + text) || s.contains("❯\u00a0" + text), Duration.ofSeconds(15),
                "the typed prompt");
        tmux.sendKeys(SESSION, "Enter");
    }

    /** Waits for the permission prompt of {@code command}; returns the screen. */
    String awaitPermissionPrompt(String command) throws InterruptedException {
        return awaitScreen(s -> s.contains(PERMISSION_PROMPT) && s.contains(command), Duration.ofSeconds(60),
                "the permission prompt for '" + command + "'");
    }

    /**
     * Approves the prompt on screen with {@code 1} (never 2: it also adds a permanent rule),
     * after the debounce; re-sends only while the prompt is still shown.
     */
    void approveInTerminal(String command) throws InterruptedException {
        awaitPermissionPrompt(command);
        // not a wait for a condition: keys sent right after the first prompt appears can be dropped by the client
        TimeUnit.MILLISECONDS.sleep(KEY_DEBOUNCE.toMillis());
        for (int attempt = 0; attempt < 3; attempt++) {
            tmux.sendKeys(SESSION, "1");
            try {
                awaitScreen(s -> !s.contains(PERMISSION_PROMPT), Duration.ofSeconds(5), "the prompt leaving");
                return;
            } catch (AssertionError stillShown) {
                // the keys were swallowed: the prompt is still there, so sending again is safe
            }
        }
        throw new AssertionError("the permission prompt stayed after three '1's:\n" + screen());
    }

    /** The transcripts the client wrote under the scratch HOME. */
    List<Path> transcripts() throws IOException {
        var root = home.resolve(".claude").resolve("projects");
        if (!Files.isDirectory(root)) return List.of();
        try (var files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    /**
     * Kills the tmux server, then waits for every process started under this client (its
     * hooks, which a killed session still fires: SessionEnd) to end, so none outlives the
     * test or writes into a folder being deleted; stragglers are killed.
     */
    @Override
    public void close() {
        tmux.close();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end && !Marked.processes(MARKER, marker).isEmpty()) TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var p : Marked.processes(MARKER, marker)) p.destroyForcibly();
    }

    static boolean onPath(String program) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
