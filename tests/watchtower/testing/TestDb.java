package watchtower.testing;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import watchtower.core.DbTarget;

/**
 * Which store the tests run on. RunTests runs the suite on SQLite, then again with the system
 * property {@code watchtower.test.pg} set to a PostgreSQL server's URL: then every TestServer
 * gets a fresh database of its own on that server, dropped when it closes.
 */
public final class TestDb {
    private TestDb() {}

    public static final String PROPERTY = "watchtower.test.pg";
    private static final AtomicInteger NEXT = new AtomicInteger();

    public static Optional<DbTarget.Postgres> server() {
        var url = System.getProperty(PROPERTY);
        return url == null || url.isBlank() ? Optional.empty()
                : Optional.of((DbTarget.Postgres) DbTarget.parse(url, System.getenv("PGPASSWORD")));
    }

    public static boolean isPostgres() {
        return server().isPresent();
    }

    /** For tests that read the SQLite file itself (its schema, its pragmas, its bytes). */
    public static void assumeSqlite(String why) {
        Assumptions.assumeFalse(isPostgres(), "SQLite only: " + why);
    }

    /** A new, empty database on the test server. */
    public static DbTarget.Postgres createDatabase() {
        var admin = server().orElseThrow(() -> new IllegalStateException(PROPERTY + " is not set"));
        var name = "wt_test_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        try (var c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        var url = admin.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        return new DbTarget.Postgres(url, admin.user(), admin.password());
    }

    /** Drops a database made by {@link #createDatabase}, closing whatever still holds it. */
    public static void dropDatabase(DbTarget.Postgres db) {
        var admin = server().orElseThrow();
        var name = db.jdbcUrl().replaceFirst(".*/([^/?]+)(\\?.*)?$", "$1");
        try (var c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("test: could not drop " + name + ": " + e.getMessage());
        }
    }
}
