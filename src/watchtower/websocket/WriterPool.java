package watchtower.websocket;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import watchtower.core.HandOffs;
import watchtower.core.Threads;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;

/**
 * A few writer threads shared by every client of a hub, instead of one per client: a broadcast to
 * 100 clients wakes at most a few threads, and a client that fell behind gets all its waiting
 * frames in one write. A client with frames is queued once (its Outbox remembers that); a writer
 * writes one batch of it, then puts it back at the end of the queue if more arrived, so each
 * client's order holds and a busy client cannot starve the others.
 *
 * <p>Under heavy ingest (over {@link #BUSY_PER_SECOND} broadcasts a second), a client is written
 * at most once per {@link #GAP}: one written less than that ago rests until the gap has passed (a
 * timer tick moves every due client back to the queue), then gets everything that arrived
 * meanwhile in one write. Each write costs the kernel about as much as the rest of an event's
 * handling, so 100 listeners written once per event or two took more CPU than ingest itself; 20
 * updates a second still look live on a dashboard, and a 50 ms gap left ingest with 100 listeners
 * about a tenth faster than a display frame's 16 ms did. The gap shortens when the stream is so
 * fast that a full one would fill a quarter of a client's queue, so a resting client is never
 * dropped as too slow for what piled up while it rested. At a dashboard's usual rates nothing
 * rests, and each message goes out as soon as a writer is free.
 *
 * <p>A write to a peer that stopped reading blocks its writer until the hub drops that client.
 * A writer in one write for longer than {@link #STALL} stops counting, and another is started,
 * so stuck clients never hold up healthy ones; each stalled writer is tied to a distinct stuck
 * client, so the threads stay bounded by the clients. Writers beyond the usual number retire
 * after {@link #IDLE} without work, and all of them once the hub has no clients.
 */
final class WriterPool implements AutoCloseable {
    static final String THREAD_PREFIX = "ws-writer";
    static final long STALL = TimeUnit.MILLISECONDS.toNanos(20);
    static final long IDLE = TimeUnit.SECONDS.toNanos(1);
    static final long GAP = TimeUnit.MILLISECONDS.toNanos(50);
    static final int BUSY_PER_SECOND = 500;
    private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SCRATCH_BYTES = 64 * 1024;
    private static final System.Logger LOG = System.getLogger("watchtower.websocket");

    private final int usual;
    private final int queueCapacity;
    private final IntSupplier clients;
    private final ScheduledExecutorService timers;
    private final Optional<ExecutorService> virtualThreads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Client> ready = new ArrayDeque<>();
    // Queued clients written less than GAP ago, soonest due first.
    private final PriorityQueue<Client> resting = new PriorityQueue<>(Comparator.comparingLong(c -> c.restUntilNanos));
    // Broadcasts counted in the current window; busy says whether the last window had over BUSY_PER_SECOND.
    private long windowStart = System.nanoTime();
    private int windowCount;
    private volatile boolean busy;
    private volatile long gap = GAP;  // GAP, or less when the stream is so fast that GAP would fill queues
    private long rests;   // clients put to rest so far
    private long tickAt;  // when the pending tick runs (System.nanoTime()); valid while tickPending
    private boolean tickPending;
    // Each writer's "writing since" (System.nanoTime(), 0 between writes), by identity.
    private final List<AtomicLong> writers = new ArrayList<>();
    private int idle;
    private int started;
    private boolean stallCheckPending;
    private boolean closed;

    /**
     * {@code queueCapacity} is each client's (see HubConfig), {@code clients} tells whether anyone
     * is connected; {@code timers} runs the stall check and the ticks.
     */
    WriterPool(int usual, int queueCapacity, IntSupplier clients, ScheduledExecutorService timers) {
        this.usual = usual;
        this.queueCapacity = queueCapacity;
        this.clients = clients;
        this.timers = timers;
        this.virtualThreads = Threads.hasVirtualThreads()
                ? Optional.of(Threads.perTask(THREAD_PREFIX))
                : Optional.empty();
    }

    /** Two writers, or one per core up to eight: writing is mostly system calls, so more would only queue. */
    static int usualSize() {
        return Math.min(8, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** Counts broadcast messages, to tell a busy stream (see the class comment). The hub calls it under its fan-out lock. */
    void countBroadcasts(int n) {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW) {
            long elapsed = now - windowStart;
            busy = windowCount * TimeUnit.SECONDS.toNanos(1) >= BUSY_PER_SECOND * elapsed;
            // at this window's rate, a rest of GAP would pile up windowCount * GAP / elapsed messages
            gap = Math.min(GAP, elapsed * Math.max(1, queueCapacity / 4) / Math.max(1, windowCount));
            windowStart = now;
            windowCount = 0;
        }
        windowCount += n;
    }

    /** Queues a client that Outbox just reported READY; false when the pool is closed. */
    boolean submit(Client client) {
        return submitAll(List.of(client));
    }

    /**
     * Queues many READY clients with one lock and at most one wake-up per idle writer. A client
     * that must rest goes straight to rest: waking a writer only to find that out cost the
     * broadcasting thread a wake-up per client, on the commit path.
     */
    boolean submitAll(Collection<Client> batch) {
        if (batch.isEmpty()) return true;
        lock.lock();
        try {
            if (closed) return false;
            long now = System.nanoTime();
            int queued = 0;
            for (var client : batch) {
                if (restedIfEarly(client, now)) continue;
                ready.addLast(client);
                queued++;
            }
            for (int i = Math.min(idle, queued); i > 0; i--) work.signal();
            ensureWriters();
            if (queued > 0) HandOffs.note();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many times a client was put to rest so far (see GAP). */
    long rests() {
        lock.lock();
        try {
            return rests;
        } finally {
            lock.unlock();
        }
    }

    int threads() {
        lock.lock();
        try {
            return writers.size();
        } finally {
            lock.unlock();
        }
    }

    /** Lets the writers finish what is queued and end; clients left over are the hub's to abort. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        virtualThreads.ifPresent(ExecutorService::shutdown);
    }

    /**
     * Starts writers while work waits, no writer is idle, and fewer than usual are moving; and
     * while work waits, checks again after {@link #STALL}: writers just woken for it may all take
     * stuck clients and block, and nothing else would notice the clients left waiting. Holds the lock.
     */
    private void ensureWriters() {
        if (closed || (ready.isEmpty() && resting.isEmpty())) return;
        if (idle == 0) {
            long now = System.nanoTime();
            int moving = 0;
            for (var since : writers) {
                long t = since.get();
                if (t == 0 || now - t < STALL) moving++;
            }
            for (; moving < usual; moving++) {
                if (!start()) return;
            }
        }
        if (!stallCheckPending) {
            try {
                timers.schedule(this::checkStalls, STALL, TimeUnit.NANOSECONDS);
                stallCheckPending = true;
            } catch (RejectedExecutionException e) {
                LOG.log(DEBUG, "no stall check: the hub is closing");
            }
        }
    }

    private void checkStalls() {
        lock.lock();
        try {
            stallCheckPending = false;
            ensureWriters();
        } finally {
            lock.unlock();
        }
    }

    /**
     * While busy, puts a client written less than {@link #GAP} ago to rest, and makes sure a tick
     * will release it; false when it may be written now. Holds the lock.
     */
    private boolean restedIfEarly(Client client, long now) {
        if (closed || !busy) return false;
        long until = client.lastWrittenNanos() + gap;
        if (until - now <= tickSlack()) return false;
        client.restUntilNanos = until;
        rests++;
        resting.add(client);
        scheduleTick();
        return true;
    }

    /** A tick also releases clients due this soon, so clients written together rest together. */
    private long tickSlack() {
        return gap / 4;
    }

    /** A tick when the first resting client is due, unless one is pending by then. Holds the lock. */
    private void scheduleTick() {
        if (resting.isEmpty()) return;
        long due = resting.peek().restUntilNanos;
        if (tickPending && tickAt - due <= 0) return;
        try {
            timers.schedule(this::tick, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
            tickPending = true;
            tickAt = due;
        } catch (RejectedExecutionException e) {
            LOG.log(DEBUG, "no tick: the hub is closing");
            ready.addAll(resting);  // written now rather than never
            resting.clear();
        }
    }

    /** Moves every client due (or nearly) back to the queue and wakes writers for them. */
    private void tick() {
        lock.lock();
        try {
            tickPending = false;
            long soon = System.nanoTime() + tickSlack();
            int moved = 0;
            while (!resting.isEmpty() && resting.peek().restUntilNanos - soon <= 0) {
                ready.addLast(resting.poll());
                moved++;
            }
            for (int i = Math.min(idle, moved); i > 0; i--) work.signal();
            ensureWriters();
            scheduleTick();
        } finally {
            lock.unlock();
        }
    }

    private boolean start() {
        var since = new AtomicLong();
        Runnable body = () -> work(since);
        try {
            if (virtualThreads.isPresent()) virtualThreads.get().execute(body);
            else Threads.startDaemon(THREAD_PREFIX + "-" + ++started, body);
        } catch (RejectedExecutionException | OutOfMemoryError e) {
            LOG.log(ERROR, "cannot start a websocket writer: {0}", e.toString());
            return false;
        }
        writers.add(since);
        return true;
    }

    private void work(AtomicLong since) {
        var frames = new ArrayList<byte[]>();
        var scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);
        try {
            for (var client = next(since); client != null; client = next(since)) {
                since.set(System.nanoTime() | 1);  // never 0, which means "not writing"
                boolean again;
                try {
                    again = client.drain(frames, scratch);
                } finally {
                    since.set(0);
                    frames.clear();
                }
                if (again && !submit(client)) client.noWriter();
            }
        } catch (RuntimeException | Error e) {
            LOG.log(ERROR, "websocket writer failed", e);
        } finally {
            lock.lock();
            try {
                writers.remove(since);
                ensureWriters();  // a writer that died must not leave work stranded
            } finally {
                lock.unlock();
            }
        }
    }

    /** The next client to write, or null when this writer should end. */
    private Client next(AtomicLong self) {
        lock.lock();
        try {
            long wait = IDLE;
            while (true) {
                var client = ready.pollFirst();
                if (client != null) {
                    if (restedIfEarly(client, System.nanoTime())) continue; // busy became true since it queued
                    return client;
                }
                if (closed) return resting.poll();  // finish what is queued
                if (wait <= 0 && (writers.size() > usual || clients.getAsInt() == 0)) {
                    writers.remove(self);
                    return null;
                }
                if (wait <= 0) wait = IDLE;
                idle++;
                try {
                    wait = work.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                } finally {
                    idle--;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
