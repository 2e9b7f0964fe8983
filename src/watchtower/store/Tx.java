package watchtower.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a write operation sees: the write connection, inside a savepoint of the current group
 * commit, and what to do and broadcast once (and only if) the group is committed.
 * Hot statements come from {@link #prepared}, compiled once per writer rather than per event.
 */
public final class Tx {
    private final Connection connection;
    private final Statements statements;
    private final List<Object> broadcasts = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();

    Tx(Connection connection, Statements statements) {
        this.connection = connection;
        this.statements = statements;
    }

    public Connection connection() { return connection; }

    /**
     * A statement kept prepared on the write connection for reuse: bind and run it, close its
     * result sets, but never close the statement itself (the writer does, at shutdown).
     */
    public PreparedStatement prepared(String sql) throws SQLException {
        return statements.get(sql);
    }

    /** Queues a live-stream message; it is sent after commit, in commit order. */
    public void broadcast(Object message) {
        broadcasts.add(message);
    }

    /** Runs {@code action} on the writer once (and only if) the group is committed, before its caller hears of it. */
    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Object> broadcasts() { return broadcasts; }

    List<Runnable> afterCommitActions() { return afterCommit; }
}
