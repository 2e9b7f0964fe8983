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
import java.util.function.Consumer;
import watchtower.core.Threads;
import watchtower.http.ApiError;

/**
 * The only thread that writes. Requests queue operations; the thread drains up to
 * {@link #MAX_GROUP} of them into one transaction (group commit), each in its own savepoint so
 * one failing request rolls back alone, commits, completes each caller's future, then hands
 * the group's broadcasts to the listener in commit order. An acknowledged write is committed.
 */
public final class Writer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.store");
    static final int MAX_GROUP = 512;
    private static final long WAIT_SECONDS = 10;

    @FunctionalInterface
    public interface Op<T> {
        T run(Tx tx) throws SQLException;
    }

    private record Pending<T>(Op<T> op, CompletableFuture<T> done) {}

    private final Connection connection;
    private final BlockingQueue<Pending<?>> queue;
    private final Consumer<Object> broadcaster;
    private final Thread thread;
    private volatile boolean accepting = true;

    public Writer(Db db, int queueCapacity, Consumer<Object> broadcaster) {
        this.connection = db.writeConnection();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.broadcaster = broadcaster;
        this.thread = Threads.startDaemon("sqlite-writer", this::loop);
    }

    /** Queues an operation and waits for its commit; 503 when the queue is full or we are stopping. */
    public <T> T execute(Op<T> op) {
        var future = submit(op);
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
        var pending = new Pending<>(op, new CompletableFuture<T>());
        if (!accepting) throw ApiError.unavailable("server is shutting down");
        if (!queue.offer(pending)) throw ApiError.unavailable("write queue full, try again");
        return pending.done;
    }

    private void loop() {
        var group = new ArrayList<Pending<?>>(MAX_GROUP);
        while (true) {
            try {
                var first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!accepting && queue.isEmpty()) return;
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commitGroup(group);
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
            for (int i = 0; i < group.size(); i++) {
                var tx = new Tx(connection);
                txs[i] = tx;
                try (var st = connection.createStatement()) {
                    st.execute("SAVEPOINT op");
                }
                try {
                    results[i] = group.get(i).op.run(tx);
                    try (var st = connection.createStatement()) {
                        st.execute("RELEASE op");
                    }
                } catch (Exception e) {
                    failures[i] = e;
                    try (var st = connection.createStatement()) {
                        st.execute("ROLLBACK TO op");
                        st.execute("RELEASE op");
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "group commit failed; " + group.size() + " writes refused", e);
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                LOG.log(System.Logger.Level.WARNING, "rollback after failed commit: " + ignored);
            }
            for (var p : group) p.done.completeExceptionally(new StoreException("commit failed", e));
            return;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "restoring autocommit: " + e);
            }
        }
        for (int i = 0; i < group.size(); i++) {
            complete(group.get(i), results[i], failures[i]);
            if (failures[i] == null) {
                for (var message : txs[i].broadcasts()) {
                    try {
                        broadcaster.accept(message);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "broadcast failed: " + e);
                    }
                }
            }
        }
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
