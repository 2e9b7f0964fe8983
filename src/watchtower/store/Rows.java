package watchtower.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rows as ordered maps, column name to value: the API returns them as the reference does ("SELECT *"). */
public final class Rows {
    private Rows() {}

    public static List<Map<String, Object>> all(PreparedStatement ps) throws SQLException {
        boolean pg = isPostgres(ps);
        try (var rs = ps.executeQuery()) {
            var meta = rs.getMetaData();
            int n = meta.getColumnCount();
            var out = new ArrayList<Map<String, Object>>();
            while (rs.next()) out.add(row(rs, meta, n, pg));
            return out;
        }
    }

    public static Optional<Map<String, Object>> first(PreparedStatement ps) throws SQLException {
        var all = all(ps);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static Map<String, Object> row(ResultSet rs, java.sql.ResultSetMetaData meta, int n, boolean pg)
            throws SQLException {
        var row = new LinkedHashMap<String, Object>();
        for (int i = 1; i <= n; i++) {
            var value = rs.getObject(i);
            row.put(meta.getColumnLabel(i), pg && value instanceof String s ? PgText.decode(s) : value);
        }
        return row;
    }

    /** Binds parameters in order; nulls bind as SQL NULL. */
    public static PreparedStatement bind(PreparedStatement ps, Object... params) throws SQLException {
        boolean pg = isPostgres(ps);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, pg && params[i] instanceof String s ? PgText.encode(s) : params[i]);
        }
        return ps;
    }

    private static boolean isPostgres(PreparedStatement ps) throws SQLException {
        return ps.isWrapperFor(org.postgresql.PGStatement.class);
    }
}
