import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;

/**
 * The exactly-once check, read straight from the SQLite file after its server has stopped:
 * every acknowledged {@code wt_event_id} must be stored once. Both servers keep the whole posted
 * body in {@code events.payload}, so the same query serves both (ours also has the id in its
 * event_uid column; the payload is the stricter place to look).
 */
final class StoredEvents {
    private StoredEvents() {}

    record Check(long acked, long stored, long missing, long duplicated, long storedUnacknowledged) {
        boolean exact() {
            return missing == 0 && duplicated == 0;
        }

        String summary() {
            return String.format("%,d acked: %,d missing, %,d duplicated", acked, missing, duplicated);
        }
    }

    static Check verify(Path db, Collection<String> acked) throws SQLException {
        var counts = new HashMap<String, Integer>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT json_extract(payload, '$.wt_event_id') FROM events")) {
            while (rs.next()) {
                var id = rs.getString(1);
                if (id != null) counts.merge(id, 1, Integer::sum);
            }
        }
        long stored = counts.values().stream().mapToLong(Integer::longValue).sum();
        long missing = 0;
        long duplicated = 0;
        var ackedSet = new HashSet<>(acked);
        for (var id : ackedSet) {
            int n = counts.getOrDefault(id, 0);
            if (n == 0) missing++;
            if (n > 1) duplicated++;
        }
        long unacked = counts.keySet().stream().filter(id -> !ackedSet.contains(id)).count();
        return new Check(ackedSet.size(), stored, missing, duplicated, unacked);
    }

    /** Bytes on disk for the database: the main file, its WAL and rollback journal, and our search index file, if any. */
    static long bytesOnDisk(Path db) {
        long total = 0;
        for (var suffix : new String[] {"", "-wal", "-journal", "-search", "-search-wal"}) {
            var f = Path.of(db + suffix);
            try {
                if (Files.exists(f)) total += Files.size(f);
            } catch (java.io.IOException e) {
                // a file vanishing between exists and size is a checkpoint finishing: count what is left
            }
        }
        return total;
    }
}
