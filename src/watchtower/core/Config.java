package watchtower.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server is told at start-up, resolved once (options, then environment,
 * then defaults) and passed down, so no part reads System.getenv itself.
 *
 * @param db           a SQLite file, or a PostgreSQL database shared by several instances
 * @param dataDir      ~/.uvs (or UVS_HOME): the install token, logs, the default database
 * @param staticDir    a folder to serve the dashboard from instead of the copy inside the jar
 * @param extraOrigins browser origins allowed besides the server's own (e.g. a TLS proxy)
 * @param retainDays   events older than this are pruned; 0 keeps everything
 */
public record Config(String host, int port, DbTarget db, Path dataDir, Optional<Path> staticDir,
                     List<String> extraOrigins, int retainDays) {

    public static final int DEFAULT_PORT = 4200;

    /** A loopback server on a free port with everything under {@code dir}: what tests use. */
    public static Config forTests(Path dir) {
        return new Config("127.0.0.1", 0, new DbTarget.SqliteFile(dir.resolve("watchtower.db")), dir.resolve("uvs"),
                Optional.empty(), List.of(), 0);
    }

    public Config withDb(Path file) {
        return withDb(new DbTarget.SqliteFile(file));
    }

    public Config withDb(DbTarget target) {
        return new Config(host, port, target, dataDir, staticDir, extraOrigins, retainDays);
    }

    public Config withHost(String newHost) {
        return new Config(newHost, port, db, dataDir, staticDir, extraOrigins, retainDays);
    }

    public boolean loopbackOnly() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
}
