package watchtower.server;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import watchtower.core.Config;
import watchtower.core.DbTarget;

/** The checks made before and after start, each turned into one line a person can act on. */
public final class StartupCheck {
    private static final int SQLITE_BUSY = 5; // the primary result code, in the low byte of an extended one

    private StartupCheck() {}

    /** One line per log record, no source class noise. Must run before the first logger is made. */
    public static void configureLogging() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
    }

    public static Optional<String> problems(Config config) {
        if (config.port() < 0 || config.port() > 65535) return Optional.of("--port must be between 0 and 65535");
        if (config.retainDays() < 0) return Optional.of("--retain-days must be 0 (keep everything) or more");
        var parent = config.db() instanceof DbTarget.SqliteFile f ? f.file().toAbsolutePath().getParent() : null;
        try {
            Files.createDirectories(config.dataDir());
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            return Optional.of("cannot create " + e.getMessage() + ": check the folder's permissions");
        }
        if (parent != null && !Files.isWritable(parent)) return Optional.of(parent + " is not writable");
        return Optional.empty();
    }

    public static List<String> warnings(Config config) {
        var out = new ArrayList<String>();
        if (!config.loopbackOnly()) {
            out.add("bound to " + config.host() + ": every request must carry the install token ("
                    + config.dataDir().resolve("token") + "); put TLS in front (see SECURITY.md)");
        }
        return out;
    }

    public static String explain(Exception e, Config config) {
        if (e instanceof BindException) {
            return "port " + config.port() + " on " + config.host() + " is in use (is Watchtower already running? try --port)";
        }
        if (e instanceof java.sql.SQLException sql) {
            if (config.db() instanceof DbTarget.SqliteFile && (sql.getErrorCode() & 0xff) == SQLITE_BUSY) {
                return "database " + config.db().describe() + " is in use by another process (is Watchtower already"
                        + " running on it? stop that one, or give this one another --db)";
            }
            return "database " + config.db().describe() + ": " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
