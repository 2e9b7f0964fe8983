package watchtower.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the data lives: a SQLite file (the embedded default) or a PostgreSQL database shared by
 * several Watchtower instances (team mode). {@code --db} takes either a path or a
 * {@code postgresql://user:password@host:port/db} / {@code jdbc:postgresql:} URL.
 */
public sealed interface DbTarget {

    /** What to print: the file, or the URL without its password. */
    String describe();

    record SqliteFile(Path file) implements DbTarget {
        @Override
        public String describe() { return file.toString(); }
    }

    /** A JDBC URL plus credentials kept apart, so logs and errors never carry the password. */
    record Postgres(String jdbcUrl, String user, String password) implements DbTarget {
        @Override
        public String describe() {
            return jdbcUrl + (user == null ? "" : " as " + user);
        }

        @Override
        public String toString() { return describe(); }
    }

    static boolean isPostgres(String text) {
        return text.startsWith("postgresql://") || text.startsWith("postgres://") || text.startsWith("jdbc:postgresql:");
    }

    /** A path or a PostgreSQL URL; the password may also come from PGPASSWORD. */
    static DbTarget parse(String text, String pgPasswordFromEnv) {
        if (!isPostgres(text)) return new SqliteFile(Path.of(text));
        if (text.startsWith("jdbc:")) return new Postgres(text, null, pgPasswordFromEnv);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + e.getMessage());
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("the PostgreSQL URL names no host: " + redact(text));
        String user = null;
        String password = pgPasswordFromEnv;
        if (uri.getRawUserInfo() != null) {
            var parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) password = decode(parts[1]);
        }
        var db = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
        var url = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + db
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new Postgres(url, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
    }
}
