package watchtower.machines;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import watchtower.core.Time;
import watchtower.http.ApiError;
import watchtower.store.Rows;
import watchtower.store.Store;
import watchtower.store.Tx;

/**
 * The machines table: machines that run agents and post with their own token. Only the
 * token's SHA-256 is stored. A revoked machine keeps its row (its sessions still name it) and
 * its token stops working on the next request, since every check reads the table; its name
 * may be enrolled again, which is how a token is rotated. last_seen_at is written at most
 * every {@link #TOUCH_EVERY_NANOS}, off the request's path.
 */
public final class MachinesStore {
    private static final System.Logger LOG = System.getLogger("watchtower.machines");
    static final long TOUCH_EVERY_NANOS = 5_000_000_000L;

    private final Store store;
    private final Map<String, Long> lastTouch = new ConcurrentHashMap<>();

    public MachinesStore(Store store) {
        this.store = store;
    }

    /** Enrolls a machine and returns its token; 409 while an active machine has that name. */
    public NewMachine create(String rawName) {
        var name = MachineName.of(rawName);
        var token = MachineToken.generate();
        var hash = MachineToken.hash(token);
        store.writer().execute(tx -> {
            var existing = find(tx, name);
            if (existing.isPresent() && existing.get().active()) throw ApiError.conflict("machine " + name + " exists");
            if (existing.isPresent()) reenroll(tx, name, hash);
            else insert(tx, name, hash);
            return null;
        });
        lastTouch.remove(name);
        return new NewMachine(name, token);
    }

    public List<Machine> list() {
        return store.db().read(c -> {
            try (var ps = c.prepareStatement(LIST)) {
                var out = new ArrayList<Machine>();
                for (var row : Rows.all(ps)) out.add(toMachine(row));
                return out;
            }
        });
    }

    public Optional<Machine> find(String name) {
        return store.db().read(c -> {
            try (var ps = c.prepareStatement(FIND)) {
                return Rows.first(Rows.bind(ps, name)).map(MachinesStore::toMachine);
            }
        });
    }

    /** Revokes the machine (idempotent); empty if there never was one by that name. */
    public Optional<Machine> revoke(String name) {
        var revoked = store.writer().execute(tx -> {
            try (var ps = tx.connection().prepareStatement(REVOKE)) {
                Rows.bind(ps, Time.now(), name).executeUpdate();
            }
            return find(tx, name);
        });
        lastTouch.remove(name);
        return revoked;
    }

    /** The active machine this token belongs to, noting that it was seen. */
    public Optional<String> authenticate(String token) {
        if (!MachineToken.looksLikeOne(token)) return Optional.empty();
        var hash = MachineToken.hash(token);
        Optional<String> name = store.db().read(c -> {
            try (var ps = c.prepareStatement(AUTHENTICATE)) {
                return Rows.first(Rows.bind(ps, hash)).map(row -> (String) row.get("name"));
            }
        });
        name.ifPresent(this::touch);
        return name;
    }

    // Queued, not awaited: a request authenticated by a machine never waits for this write. It
    // still commits before any write that request queues after it (one writer, in order).
    private void touch(String name) {
        long now = System.nanoTime();
        var previous = lastTouch.get(name);
        if (previous != null && now - previous < TOUCH_EVERY_NANOS) return;
        if (previous == null ? lastTouch.putIfAbsent(name, now) != null : !lastTouch.replace(name, previous, now)) {
            return; // another request touches it
        }
        try {
            store.writer().submit(tx -> {
                try (var ps = tx.connection().prepareStatement(TOUCH)) {
                    return Rows.bind(ps, Time.now(), name).executeUpdate();
                }
            }).whenComplete((n, error) -> {
                if (error != null) LOG.log(System.Logger.Level.DEBUG, "last_seen_at of " + name + " not written: " + error);
            });
        } catch (ApiError busy) {
            LOG.log(System.Logger.Level.DEBUG, "last_seen_at of " + name + " skipped: " + busy.detail());
        }
    }

    private static Optional<Machine> find(Tx tx, String name) throws SQLException {
        try (var ps = tx.connection().prepareStatement(FIND)) {
            return Rows.first(Rows.bind(ps, name)).map(MachinesStore::toMachine);
        }
    }

    private static void insert(Tx tx, String name, String hash) throws SQLException {
        try (var ps = tx.connection().prepareStatement(INSERT)) {
            Rows.bind(ps, name, hash, Time.now()).executeUpdate();
        }
    }

    private static void reenroll(Tx tx, String name, String hash) throws SQLException {
        try (var ps = tx.connection().prepareStatement(REENROLL)) {
            Rows.bind(ps, hash, Time.now(), name).executeUpdate();
        }
    }

    private static Machine toMachine(Map<String, Object> row) {
        return new Machine((String) row.get("name"), (String) row.get("created_at"),
                (String) row.get("last_seen_at"), (String) row.get("revoked_at"));
    }

    private static final String COLUMNS = "name, created_at, last_seen_at, revoked_at";
    private static final String LIST = "SELECT " + COLUMNS + " FROM machines ORDER BY name";
    private static final String FIND = "SELECT " + COLUMNS + " FROM machines WHERE name = ?";
    private static final String AUTHENTICATE = "SELECT name FROM machines WHERE token_hash = ? AND revoked_at IS NULL";
    private static final String INSERT = """
            INSERT INTO machines (name, token_hash, created_at, last_seen_at, revoked_at)
            VALUES (?, ?, ?, NULL, NULL)""";
    private static final String REENROLL = """
            UPDATE machines SET token_hash = ?, created_at = ?, last_seen_at = NULL, revoked_at = NULL
            WHERE name = ?""";
    private static final String REVOKE = "UPDATE machines SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL";
    private static final String TOUCH = "UPDATE machines SET last_seen_at = ? WHERE name = ? AND revoked_at IS NULL";
}
