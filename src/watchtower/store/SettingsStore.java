package watchtower.store;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Key/value settings. Which keys and values are allowed is decided above, in settings/. */
public final class SettingsStore {
    private final Db db;

    public SettingsStore(Db db) {
        this.db = db;
    }

    public Map<String, String> all() {
        return db.read(c -> {
            var out = new LinkedHashMap<String, String>();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT key, value FROM settings ORDER BY key")) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        });
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(all().get(key));
    }

    public void put(Tx tx, String key, String value) throws SQLException {
        try (var ps = tx.connection().prepareStatement("""
                INSERT INTO settings (key, value) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value""")) {
            Rows.bind(ps, key, value).executeUpdate();
        }
    }
}
