package watchtower.install;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classpath a command hook runs WtHook with: asked of JBang once, at install time, then
 * kept for this object's life. {@code jbang info classpath} only says where the jar would be
 * (measured with 0.132.1: it printed the path of a jar it had not built), so
 * {@code jbang build} runs first; both work offline. The answer must be absolute paths that
 * exist: a hook command is run from any folder, and a missing jar would make every hook fail
 * quietly.
 */
public final class HookClasspath {
    /** A cold JBang may resolve and compile first (JBANG.md: up to tens of seconds on a fresh machine). */
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final List<String> build;
    private final List<String> command;
    private final Duration timeout;
    private String cached;

    /** {@code build} makes the jar (may be empty); {@code command} prints the classpath as its last line. */
    public HookClasspath(List<String> build, List<String> command, Duration timeout) {
        this.build = List.copyOf(build);
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    /** The repository's own JBang launcher and WtHook entry script. */
    public static HookClasspath forRepo(Path repo) {
        var root = repo.toAbsolutePath().normalize();
        var jbang = root.resolve("jbang").toString();
        var script = root.resolve("WtHook.java").toString();
        return new HookClasspath(List.of(jbang, "build", script), List.of(jbang, "info", "classpath", script), TIMEOUT);
    }

    /** The classpath, asking JBang the first time only. */
    public synchronized String resolve() {
        if (cached == null) {
            if (!build.isEmpty()) run(build);
            cached = check(lastLine(run(command)));
        }
        return cached;
    }

    /** Runs one command to its end; its stdout, or a refusal that quotes the end of its stderr. */
    private String run(List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("wthook-cp", ".out");
            err = Files.createTempFile("wthook-cp", ".err");
            var pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("JBANG_NO_VERSION_CHECK", "true");
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new InstallException("cannot run " + command.get(0) + ": " + e.getMessage());
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new InstallException(String.join(" ", command) + " took over " + timeout.toSeconds() + " s; gave up");
            }
            var stdout = Files.readString(out, UTF_8);
            if (p.exitValue() != 0) {
                throw new InstallException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + lastLines(Files.readString(err, UTF_8)));
            }
            return stdout;
        } catch (IOException e) {
            throw new InstallException("cannot ask JBang for the WtHook classpath: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InstallException("interrupted while asking JBang for the WtHook classpath");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private String check(String classpath) {
        if (classpath.isEmpty()) throw new InstallException(String.join(" ", command) + " printed no classpath");
        var entries = new ArrayList<String>();
        for (var entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            var path = Path.of(entry);
            if (!path.isAbsolute()) throw new InstallException("JBang gave a relative classpath entry '" + entry + "'");
            if (!Files.exists(path)) throw new InstallException("JBang gave a classpath entry that does not exist: " + entry
                    + " (did `jbang build WtHook.java` fail?)");
            entries.add(path.normalize().toString());
        }
        if (entries.isEmpty()) throw new InstallException(String.join(" ", command) + " printed no classpath");
        return String.join(File.pathSeparator, entries);
    }

    private static String lastLine(String text) {
        var lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    private static String lastLines(String text) {
        var lines = text.strip().split("\\R");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }
}
