package watchtower.ctl;

import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * A session id as typed by a user: the server's alphabet (letters, digits, '.', '_', '-', 1-128
 * characters), checked while parsing so "../x" is a usage error (exit 2) and never reaches a URL
 * path or a tmux target. It may be a prefix of the full id (see SessionRef).
 */
public record SessionId(String value) {
    private static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public SessionId {
        if (value == null || !ALPHABET.matcher(value).matches()) {
            throw new TypeConversionException("'" + Format.clip(value, 40)
                    + "' is not a session id (1-128 letters, digits, '.', '_' or '-')");
        }
    }

    public static boolean isValid(String raw) {
        return raw != null && ALPHABET.matcher(raw).matches();
    }

    /** picocli's converter, registered once on the root command. */
    public static SessionId parse(String raw) {
        return new SessionId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
