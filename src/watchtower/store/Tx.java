package watchtower.store;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * What a write operation sees: the write connection, inside a savepoint of the current group
 * commit, and a list of messages to broadcast once (and only if) the group is committed.
 */
public final class Tx {
    private final Connection connection;
    private final List<Object> broadcasts = new ArrayList<>();

    Tx(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() { return connection; }

    /** Queues a live-stream message; it is sent after commit, in commit order. */
    public void broadcast(Object message) {
        broadcasts.add(message);
    }

    List<Object> broadcasts() { return broadcasts; }
}
