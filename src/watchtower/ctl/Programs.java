package watchtower.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs other programs from argument lists, never a shell string: for `doctor` (versions),
 * `open` (the browser) and `attach` (tmux, with the terminal handed over).
 */
final class Programs {
    private Programs() {}

    /** The first line the program prints, or empty if it fails, prints nothing or outlives the timeout. */
    static Optional<String> firstLine(Path program, List<String> args, long timeoutSeconds) {
        var cmd = new ArrayList<String>();
        cmd.add(program.toString());
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            p.getOutputStream().close(); // nothing to read: a program waiting for input gets EOF
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            // version output is a line or two, far below the pipe's buffer, so reading after exit is safe
            var text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || text.isEmpty()) return Optional.empty();
            return Optional.of(Format.clean(text.lines().findFirst().orElse("")));
        } catch (IOException e) {
            p.destroyForcibly();
            return Optional.empty();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Runs the program in this terminal (stdin, stdout, stderr inherited) and returns its exit code. */
    static int inTerminal(List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw CtlError.failed("cannot run " + cmd.get(0) + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CtlError.failed("interrupted", null);
        }
    }

    /** Starts the program and waits briefly for it; its output is discarded. */
    static int quietly(List<String> cmd, long timeoutSeconds) {
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) return 0; // still opening the browser: fine
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
