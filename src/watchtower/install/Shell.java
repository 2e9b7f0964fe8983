package watchtower.install;

import java.util.regex.Pattern;

/** POSIX shell quoting for the command lines we write into settings files (Claude Code runs them with sh). */
final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Shell() {}

    /** {@code s} as one shell word: unchanged when it holds only safe characters, else in single quotes. */
    static String quote(String s) {
        if (!s.isEmpty() && PLAIN.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
