package watchtower.machines;

import java.util.regex.Pattern;
import watchtower.http.ApiError;

/** Machine names follow session ids' shape, shorter: they appear in URLs, tables and tmux names. */
public final class MachineName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private MachineName() {}

    /** The name, or 422 saying what a name may be. */
    public static String of(String raw) {
        if (raw == null || !NAME.matcher(raw).matches()) {
            throw ApiError.unprocessable("machine name must be 1-64 characters: letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return raw;
    }

    /** For a name in a URL path: anything that is not a valid name cannot exist, so 404. */
    public static String inPath(String raw) {
        if (raw == null || !NAME.matcher(raw).matches()) throw ApiError.notFound("machine not found");
        return raw;
    }
}
