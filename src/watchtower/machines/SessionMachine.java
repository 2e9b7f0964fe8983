package watchtower.machines;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import watchtower.http.ApiError;
import watchtower.store.Rows;
import watchtower.store.Store;
import watchtower.store.Tx;

/**
 * Which machine a session runs on, as ingest sees it: a session first seen through a machine's
 * token belongs to that machine, and a machine's token may write only into sessions of its own,
 * never another machine's nor one on the server's own machine (403). The install token is not
 * limited. The checks run inside the ingest's write, so a refusal rolls all of it back; the
 * read-only form answers 403 before a write that is queued rather than awaited, and is safe
 * because a session's machine never changes once set.
 */
public final class SessionMachine {
    private SessionMachine() {}

    /** A session's row as far as ownership goes; machine is null for the server's own machine. */
    private record Owner(String machine) {}

    /** Inside an ingest write, before it: 403 if {@code machine} may not write into this existing session. */
    public static void checkWrite(Tx tx, Optional<String> machine, String sessionId) throws SQLException {
        if (machine.isEmpty() || sessionId == null) return;
        checkOwner(owner(tx.connection(), sessionId), machine.get(), sessionId);
    }

    /** The same check on a read connection, for a handler that answers before its write commits. */
    public static void checkWrite(Store store, Optional<String> machine, String sessionId) {
        if (machine.isEmpty() || sessionId == null) return;
        checkOwner(store.db().read(c -> owner(c, sessionId)), machine.get(), sessionId);
    }

    /**
     * Inside the write, after the session's upsert: a session this write created becomes the
     * posting machine's. If another writer (another instance on the same PostgreSQL database)
     * created and stamped it first, this write is refused as checkWrite would have.
     */
    public static void stamp(Tx tx, Optional<String> machine, String sessionId) throws SQLException {
        if (machine.isEmpty() || sessionId == null) return;
        try (var ps = tx.connection().prepareStatement(STAMP)) {
            Rows.bind(ps, machine.get(), sessionId).executeUpdate();
        }
        checkOwner(owner(tx.connection(), sessionId), machine.get(), sessionId);
    }

    private static void checkOwner(Optional<Owner> owner, String machine, String sessionId) {
        if (owner.isPresent() && !machine.equals(owner.get().machine())) {
            throw ApiError.forbidden("session " + sessionId + " is not on machine " + machine);
        }
    }

    private static Optional<Owner> owner(Connection c, String sessionId) throws SQLException {
        try (var ps = c.prepareStatement(OWNER)) {
            return Rows.first(Rows.bind(ps, sessionId)).map(r -> new Owner((String) r.get("machine")));
        }
    }

    private static final String OWNER = "SELECT machine FROM sessions WHERE id = ?";
    private static final String STAMP = "UPDATE sessions SET machine = ? WHERE id = ? AND machine IS NULL";
}
