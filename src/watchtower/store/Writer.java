package watchtower.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import watchtower.core.HandOffs;
import watchtower.core.Threads;
import watchtower.http.ApiError;

/**
 * The one writer. Requests queue operations; the writer thread drains up to
 * {@link #MAX_GROUP} of them into one transaction (group commit), each in its own savepoint so
 * one failing request rolls back alone, commits, runs each write's after-commit actions,
 * completes each caller's future, then hands the group's broadcasts to the listener in commit
 * order. An acknowledged write is committed. Between groups it may copy the tail of SQLite's log
 * into the database ({@link WalCheckpointer}), so the log starts over.
 * A group of one needs no savepoint: rolling back its transaction rolls back just that write.
 * When nothing is queued or committing, a caller commits its own write as a group of one, under
 * the same lock ({@link #commitHereIfIdle}).
 *
 * <p>On PostgreSQL other instances' writers work on the same rows at the same time. An operation
 * may name the session it writes (its lock key); a group first takes those sessions' advisory
 * locks in one global order, so two groups touching the same sessions queue instead of
 * deadlocking on their rows. A write connection the database dropped is replaced.
 */
public final class Writer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    static final int MAX_GROUP = 512;
    private static final long WAIT_SECONDS = 10;
    private static final int MAX_ATTEMPTS = 3;

    @FunctionalInterface
    public interface Op<T> {
        T run(Tx tx) throws SQLException;
    }

    private record Pending<T>(String lockKey, Op<T> op, CompletableFuture<T> done) {}

    private final Db db;
    private final boolean postgres;
    private Connection connection;   // under commitLock only
    private Statements statements;   // under commitLock only
    private final BlockingQueue<Pending<?>> queue;
    private final Consumer<List<Object>> broadcaster;
    private final Thread thread;
    private volatile boolean accepting = true;
    /** Held while a group commits, by the writer thread or by a caller committing its own write. */
    private final ReentrantLock commitLock = new ReentrantLock();
    /** Operations queued and not yet committed (or failed). */
    private final AtomicInteger uncommitted = new AtomicInteger();

    public Writer(Db db, int queueCapacity, Consumer<List<Object>> broadcaster) {
        this.db = db;
        this.postgres = db.dialect() == Dialect.POSTGRES;
        this.connection = db.writeConnection();
        this.statements = new Statements(connection);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.broadcaster = broadcaster;
        this.thread = Threads.startDaemon("sqlite-writer", this::loop);
    }

    /** Commits an operation (queued, or here when the writer is idle) and waits for it; 503 when the queue is full or we are stopping. */
    public <T> T execute(Op<T> op) {
        return execute(null, op);
    }

    /** As {@link #execute(Op)}, for an operation that writes session {@code lockKey} (see the class comment). */
    public <T> T execute(String lockKey, Op<T> op) {
        var future = commitHereIfIdle(lockKey, op);
        if (future == null) future = submit(lockKey, op);
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while writing");
        } catch (TimeoutException e) {
            throw ApiError.unavailable("database write timed out");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new StoreException("write failed", e.getCause());
        }
    }

    public <T> CompletableFuture<T> submit(Op<T> op) {
        return submit(null, op);
    }

    public <T> CompletableFuture<T> submit(String lockKey, Op<T> op) {
        var pending = new Pending<>(lockKey, op, new CompletableFuture<T>());
        if (!accepting) throw ApiError.unavailable("server is shutting down");
        uncommitted.incrementAndGet();
        if (!queue.offer(pending)) {
            uncommitted.decrementAndGet();
            throw ApiError.unavailable("write queue full, try again");
        }
        HandOffs.note();
        return pending.done;
    }

    /**
     * With nothing queued or committing, a caller that waits for its write commits it on its own
     * thread, as a group of one: handing it to the writer thread and back cost two thread
     * wake-ups, and one client's rate rose by a fifth without them. Returns null when the writer
     * is busy: then the operation queues, to be grouped with the others. Nothing queued before it
     * is overtaken, so writes still commit in the order they were taken.
     */
    private <T> CompletableFuture<T> commitHereIfIdle(String lockKey, Op<T> op) {
        // queued behind its own write, it would wait for ever; committed here, it would commit half of it
        if (commitLock.isHeldByCurrentThread()) throw new IllegalStateException("a write asked for inside a write");
        // the writer thread waiting for the lock (to copy the log's tail) goes first
        if (uncommitted.get() > 0 || commitLock.hasQueuedThreads() || !commitLock.tryLock()) return null;
        try {
            if (uncommitted.get() > 0 || !accepting) return null;
            var pending = new Pending<>(lockKey, op, new CompletableFuture<T>());
            commitGroup(List.of(pending));
            return pending.done;
        } finally {
            commitLock.unlock();
        }
    }

    private void loop() {
        try {
            drain();
        } finally {
            commitLock.lock();
            try {
                statements.close();
            } finally {
                commitLock.unlock();
            }
        }
    }

    private void drain() {
        var group = new ArrayList<Pending<?>>(MAX_GROUP);
        while (true) {
            try {
                var first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    group.add(first);
                    queue.drainTo(group, MAX_GROUP - 1);
                }
                commitLock.lock();
                try {
                    if (!group.isEmpty()) commitGroup(group);
                    db.afterGroup(connection); // also when idle: callers may be committing on their own threads
                } finally {
                    commitLock.unlock();
                    uncommitted.addAndGet(-group.size());
                }
                if (first == null && !accepting && queue.isEmpty()) return;
            } catch (InterruptedException e) {
                if (queue.isEmpty()) return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "writer loop", e);
            } finally {
                group.clear();
            }
        }
    }

    private void commitGroup(List<Pending<?>> group) {
        var results = new Object[group.size()];
        var failures = new Throwable[group.size()];
        var txs = new Tx[group.size()];
        try {
            connection.setAutoCommit(false);
            lockSessions(group);
            boolean alone = group.size() == 1;
            for (int i = 0; i < group.size(); i++) {
                for (int attempt = 1; ; attempt++) {
                    var tx = new Tx(connection, statements);
                    txs[i] = tx;
                    if (!alone) run("SAVEPOINT op");
                    try {
                        results[i] = group.get(i).op.run(tx);
                        if (!alone) run("RELEASE op");
                        break;
                    } catch (Exception e) {
                        if (alone) {
                            connection.rollback();
                            lockSessions(group); // the rollback let them go
                        } else {
                            run("ROLLBACK TO op");
                            run("RELEASE op");
                        }
                        if (attempt < MAX_ATTEMPTS && retryable(e)) continue;
                        failures[i] = e;
                        break;
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            boolean lost = Db.lost(e, connection);
            LOG.log(System.Logger.Level.ERROR, "group commit failed; " + group.size() + " writes refused"
                    + (lost ? " (connection lost, reconnecting)" : ""), lost ? null : e);
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                LOG.log(System.Logger.Level.WARNING, "rollback after failed commit: " + ignored);
            }
            if (lost) reconnect();
            for (var p : group) {
                p.done.completeExceptionally(lost ? ApiError.unavailable("database unreachable, try again")
                        : new StoreException("commit failed", e));
            }
            return;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "restoring autocommit: " + e);
            }
        }
        // what a commit makes true (the search index may take the events) before anyone hears of it,
        // then every caller, then the live messages, in commit order: callers never wait on fan-out
        for (int i = 0; i < group.size(); i++) {
            if (failures[i] != null) continue;
            for (var action : txs[i].afterCommitActions()) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "after-commit action failed: " + e);
                }
            }
        }
        for (int i = 0; i < group.size(); i++) complete(group.get(i), results[i], failures[i]);
        // the group's messages go out as one batch: each live client's queue is locked once per commit, not per message
        var messages = new ArrayList<Object>();
        for (int i = 0; i < group.size(); i++) {
            if (failures[i] == null) messages.addAll(txs[i].broadcasts());
        }
        if (messages.isEmpty()) return;
        try {
            broadcaster.accept(messages);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "broadcast failed: " + e);
        }
    }

    /** PostgreSQL: the group's sessions' advisory locks, in one order every instance shares. */
    private void lockSessions(List<Pending<?>> group) throws SQLException {
        if (!postgres) return;
        var keys = new java.util.TreeSet<Integer>();
        for (var p : group) if (p.lockKey() != null) keys.add(p.lockKey().hashCode());
        if (keys.isEmpty()) return;
        var lock = statements.get("SELECT pg_advisory_xact_lock(" + SESSION_LOCKS + ", ?)");
        for (int key : keys) {
            lock.setInt(1, key);
            lock.executeQuery().close();
        }
    }

    /** Advisory lock namespace for sessions (the migration lock uses the one-key form). */
    private static final int SESSION_LOCKS = 0x5754;

    private void reconnect() {
        try {
            var fresh = db.reconnectWriter();
            statements.close();
            connection = fresh;
            statements = new Statements(fresh);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "reconnecting to the database failed, will try again: " + e.getMessage());
        }
    }

    // Statement.execute(String) re-parses the text (sqlite-jdbc also runs regexes over it) each time.
    private void run(String sql) throws SQLException {
        statements.get(sql).execute();
    }

    /**
     * On PostgreSQL another instance's writer may deadlock or collide with this one (a deadlock,
     * a serialization failure, or both inserting the same unique row): the operation ran in a
     * savepoint (or alone in its transaction), so running it again is safe, and the second run
     * sees the other's row.
     */
    private static boolean retryable(Exception e) {
        if (!(e instanceof SQLException sql) || sql.getSQLState() == null) return false;
        return switch (sql.getSQLState()) {
            case "40P01", "40001", "23505" -> true;
            default -> false;
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable failure) {
        if (failure != null) {
            p.done.completeExceptionally(failure instanceof SQLException
                    ? new StoreException("write failed", failure) : failure);
        } else {
            p.done.complete((T) result);
        }
    }

    /** Operations queued and not yet committed. */
    int uncommitted() {
        return uncommitted.get();
    }

    /** Stops accepting, lets the thread commit what is queued, and waits for it (bounded). */
    @Override
    public void close() {
        accepting = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            p.done.completeExceptionally(ApiError.unavailable("server is shutting down"));
        }
    }
}
