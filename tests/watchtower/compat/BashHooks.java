package watchtower.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import watchtower.testing.Api;

/**
 * Runs the reference bash hooks (uv-suite@0.32.0, kept in tests/fixtures/reference-hooks) as
 * real processes against a server, the way Claude Code runs them: event JSON on stdin, the
 * session and project in the environment, and a project folder holding the session's
 * metadata file. Nothing of the caller's own UVS_/CLAUDE_/proxy environment leaks in.
 */
final class BashHooks {
    static final List<String> TOOLS = List.of("bash", "jq", "curl", "python3");

    private final String url;
    private final Path project;
    private final Path work;

    /** {@code work} holds the run logs and the curl shim; {@code project} plays CLAUDE_PROJECT_DIR. */
    BashHooks(String url, Path project, Path work) {
        this.url = url;
        this.project = project;
        this.work = work;
    }

    record Run(int exit, String stdout, String stderr, List<String> curlCalls) {
        Run assertQuietSuccess() {
            assertEquals(0, exit, "hook exit code; stderr: " + stderr);
            assertEquals("", stdout, "a hook must print nothing on stdout (Claude Code reads it)");
            return this;
        }
    }

    /** Skips (never fails) the calling test when a program the hooks need is missing. */
    static void assumeToolsPresent() {
        var missing = TOOLS.stream().filter(t -> onPath(t).isEmpty()).toList();
        Assumptions.assumeTrue(missing.isEmpty(),
                "the reference bash hooks need bash, jq, curl and python3 on PATH; missing: " + missing);
    }

    /** Writes {@code .uv-suite-state/sessions/<sid>.json}, the metadata the send hook splices in. */
    void writeMetadata(String sessionId, Map<String, Object> metadata) {
        try {
            var dir = Files.createDirectories(project.resolve(".uv-suite-state/sessions"));
            Files.writeString(dir.resolve(sessionId + ".json"), Api.write(metadata));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path project() {
        return project;
    }

    /** Runs {@code bash <hook> args} with {@code stdin}; returns once bash exits (its curl may still be running). */
    Run run(String hook, String sessionId, String stdin, String... args) {
        var command = new ArrayList<>(List.of("bash", script(hook).toString()));
        command.addAll(List.of(args));
        return exec(command, sessionId, stdin, false);
    }

    /**
     * Runs the hook sourced into a shell whose EXIT trap waits for its background jobs, so it
     * returns only after any curl it started has finished; a shim in front of curl records each
     * call. This is how a test can show that a hook sent nothing at all.
     */
    Run runToCompletion(String hook, String sessionId, String stdin, String... args) {
        var command = new ArrayList<>(List.of("bash", "-c", "trap wait EXIT; . \"$0\" \"$@\"", script(hook).toString()));
        command.addAll(List.of(args));
        return exec(command, sessionId, stdin, true);
    }

    private Run exec(List<String> command, String sessionId, String stdin, boolean shimCurl) {
        try {
            Files.createDirectories(work);
            var out = Files.createTempFile(work, "hook", ".out");
            var err = Files.createTempFile(work, "hook", ".err");
            var calls = work.resolve("curl-calls-" + System.nanoTime() + ".log");
            var pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            environment(pb.environment(), sessionId);
            if (shimCurl) {
                pb.environment().put("PATH", curlShim() + ":" + pb.environment().get("PATH"));
                pb.environment().put("CURL_CALLS", calls.toString());
            }
            var process = pb.start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(UTF_8));
            } catch (IOException e) {
                // the hook may exit before reading everything (the end hook drains, others may not)
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("hook did not exit within 15 s: " + command);
            }
            var curlCalls = Files.exists(calls) ? Files.readAllLines(calls, UTF_8) : List.<String>of();
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err), curlCalls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    private void environment(Map<String, String> env, String sessionId) {
        var inherited = new HashMap<>(env);
        for (var key : inherited.keySet()) {
            var upper = key.toUpperCase(Locale.ROOT);
            if (upper.startsWith("UVS_") || upper.startsWith("CLAUDE") || upper.endsWith("_PROXY")) env.remove(key);
        }
        env.put("NO_PROXY", "127.0.0.1,localhost");
        env.put("no_proxy", "127.0.0.1,localhost");
        env.put("UVS_WATCHTOWER_URL", url);
        env.put("CLAUDE_PROJECT_DIR", project.toString());
        if (sessionId != null) env.put("UVS_SESSION_ID", sessionId);
    }

    /** A folder whose {@code curl} appends its arguments to $CURL_CALLS, then runs the real curl. */
    private Path curlShim() throws IOException {
        var dir = Files.createDirectories(work.resolve("shim"));
        var shim = dir.resolve("curl");
        var real = onPath("curl").orElseGet(() -> fail("curl not on PATH"));
        Files.writeString(shim, "#!/bin/bash\necho \"curl $*\" >> \"$CURL_CALLS\"\nexec '" + real + "' \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static Path script(String hook) {
        var file = CompatFiles.referenceHooks().resolve(hook);
        if (!Files.isRegularFile(file)) fail("missing reference hook " + file);
        return file;
    }

    static Optional<Path> onPath(String program) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return Optional.of(Path.of(dir, program));
        }
        return Optional.empty();
    }
}
