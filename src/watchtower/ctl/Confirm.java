package watchtower.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Asks a person a yes/no question on the terminal; anything but "y" or "yes" means no. */
final class Confirm {
    private Confirm() {}

    static boolean ask(CtlEnv env, PrintWriter err, String question) {
        err.print(question + " [y/N] ");
        err.flush();
        try {
            // not closed: stdin belongs to the process, not to this question
            var line = new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8)).readLine();
            var answer = line == null ? "" : line.trim().toLowerCase(Locale.ROOT);
            return answer.equals("y") || answer.equals("yes");
        } catch (IOException e) {
            return false;
        }
    }

    static CtlError cancelled() {
        return CtlError.failed("cancelled; nothing was changed", null);
    }
}
