package watchtower.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import watchtower.core.DbTarget;

/** Opens connections to PostgreSQL: the store's writer and readers, and the team relay's. */
public final class PostgresConnections {
    private PostgresConnections() {}

    public static Connection open(DbTarget.Postgres pg) throws SQLException {
        var props = new Properties();
        if (pg.user() != null) props.setProperty("user", pg.user());
        if (pg.password() != null) props.setProperty("password", pg.password());
        props.setProperty("ApplicationName", "watchtower");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(pg.jdbcUrl(), props);
    }
}
