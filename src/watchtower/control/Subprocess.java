package watchtower.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one program from an argument list (never a shell string) with a deadline and returns
 * its exit code and output. Output goes to a temporary file rather than a pipe, so a program
 * that writes a lot cannot block on a full pipe and no reader thread is needed.
 */
final class Subprocess {
    private static final int MAX_OUTPUT = 1024 * 1024;

    private Subprocess() {}

    /** What a run gave: exit code (-1 if it could not start or timed out) and stdout (+ stderr when merged). */
    record Result(int exitCode, String output, boolean timedOut) {
        boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        static Result failedToStart(String why) {
            return new Result(-1, why, false);
        }
    }

    static Result run(List<String> argv, Duration timeout, boolean mergeStderr, Map<String, String> extraEnv) {
        Path out = null;
        try {
            out = Files.createTempFile("wt-cmd-", ".out");
            var pb = new ProcessBuilder(argv).redirectOutput(out.toFile());
            if (mergeStderr) pb.redirectErrorStream(true);
            else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(extraEnv);
            var process = pb.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(1, TimeUnit.SECONDS);
                return new Result(-1, read(out), true);
            }
            return new Result(process.exitValue(), read(out), false);
        } catch (IOException e) {
            return Result.failedToStart(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failedToStart("interrupted");
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    static Result run(List<String> argv, Duration timeout) {
        return run(argv, timeout, true, Map.of());
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        }
    }
}
