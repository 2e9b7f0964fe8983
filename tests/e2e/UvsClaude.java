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

/**
 * The real Claude Code client as Watchtower owns it: in tmux session {@code uvs_<id>} on a
 * {@link TmuxServer} the server under test shares, offline (CLAUDE-CODE.md §1: a scratch HOME
 * whose {@code .claude.json} skips every first-run dialog, the API at a local fake, telemetry
 * and updates off). Like {@link ClaudeCode} but for a named session, and without JUnit, so the
 * approval-latency benchmark can use it as well.
 */
public final class UvsClaude implements AutoCloseable {
    public static final String VERSION = "2.1.330";
    /** The footer of a ready input line ("⏸ manual mode on"). */
    public static final String READY = "mode on";
    /** The last line of every permission prompt. */
    public static final String PERMISSION_PROMPT = "Esc to cancel";
    /** Set in the client's environment, so its hooks' processes can be found and waited for. */
    static final String MARKER = "WT_E2E_RUN";

    private final TmuxServer tmux;
    private final String id;
    private final String marker;

    private UvsClaude(TmuxServer tmux, String id, String marker) {
        this.tmux = tmux;
        this.id = id;
        this.marker = marker;
    }

    /** The pinned client: WATCHTOWER_CLAUDE_BIN, else where .ci/npm-tools.sh installs it. */
    public static Optional<Path> binary() {
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

    /**
     * Starts {@code claude args...} as {@code uvs_<id>} in {@code project}, with {@code extraEnv}
     * on top of the offline environment; returns once the input line is ready.
     */
    public static UvsClaude start(TmuxServer tmux, String id, Path binary, Path home, Path project, String apiUrl,
                                  Map<String, String> extraEnv, List<String> args) throws IOException, InterruptedException {
        seedHome(home, project);
        var env = new LinkedHashMap<String, String>();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", apiUrl);
        env.put("ANTHROPIC_API_KEY", "dummy");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.putAll(extraEnv);
        var marker = tmux.socket() + "-" + id;
        env.put(MARKER, marker);
        var command = new ArrayList<String>();
        command.add(binary.toString());
        command.addAll(args);
        tmux.start(target(id), project, env, command);
        var claude = new UvsClaude(tmux, id, marker);
        claude.awaitScreen(s -> s.contains(READY), Duration.ofSeconds(60), "the ready footer ('" + READY + "')");
        return claude;
    }

    public static String target(String id) {
        return "uvs_" + id;
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

    public String id() {
        return id;
    }

    public String target() {
        return target(id);
    }

    public String screen() {
        return tmux.capture(target());
    }

    /** Whether a permission prompt is up: its footer, with option 1 "Yes" above it. */
    public static boolean promptShown(String screen) {
        return screen.contains(PERMISSION_PROMPT) && screen.contains("1. Yes");
    }

    /** Polls the pane until {@code condition} holds; fails with the last screen. */
    public String awaitScreen(Predicate<String> condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = screen();
            if (condition.test(last)) return last;
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("Claude Code in " + target() + ": " + what + " not on screen within "
                + timeout.toSeconds() + " s. Screen:\n" + last.strip());
    }

    /** Types a prompt, waits until it shows in the input line, then submits it. */
    public void prompt(String text) throws InterruptedException {
        tmux.type(target(), text);
        awaitScreen(s -> s.contains("❯ " + text) || s.contains("❯\u00a0" + text), Duration.ofSeconds(15),
                "the typed prompt");
        tmux.sendKeys(target(), "Enter");
    }

    /** Waits for the permission prompt of {@code command}; returns the screen. */
    public String awaitPermissionPrompt(String command, Duration timeout) throws InterruptedException {
        return awaitScreen(s -> promptShown(s) && s.contains(command), timeout,
                "the permission prompt for '" + command + "'");
    }

    public void sendKeys(String... keys) {
        tmux.sendKeys(target(), keys);
    }

    /**
     * Ends the session (kill-session, which still fires SessionEnd), then waits for every process
     * started under it (its hooks) to end, so none outlives the caller or writes into a folder
     * being deleted; stragglers are killed.
     */
    @Override
    public void close() {
        tmux.kill(target());
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end && !Marked.processes(MARKER, marker).isEmpty()) TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var p : Marked.processes(MARKER, marker)) p.destroyForcibly();
    }
}
