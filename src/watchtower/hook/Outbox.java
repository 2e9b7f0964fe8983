package watchtower.hook;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers the run's request after whatever earlier runs still owe, in order, each once.
 * Nothing owed (the usual case): send, and spool only on failure. Something owed: append
 * the new request behind it, then deliver from the oldest, removing only what the server
 * settled and stopping at the first failure, so order holds and nothing is sent twice
 * except an entry acknowledged just before a crash (the server drops a repeated
 * {@code wt_event_id}). Every timeout is cut to fit the deadline, keeping time to spool;
 * and if the deadline comes first anyway (a starved CPU), the watchdog spools the request
 * still in flight, so a slow run loses nothing it had read.
 */
public final class Outbox {
    /** Time kept back at the end of the budget to write the spool. */
    static final long SPOOL_RESERVE_MS = 250;
    static final int MAX_CONNECT_TIMEOUT_MS = 300;
    static final int MAX_READ_TIMEOUT_MS = 2000;
    /** Bodies larger than a socket buffer could block the write itself, which has no timeout: spool those first. */
    static final int WRITE_AHEAD_BYTES = 256 * 1024;
    static final int BATCH = 200;

    private final Spool spool;
    private final Sender sender;
    private final Deadline deadline;
    private final HookLog log;
    /** The run's request until it is delivered or spooled: what the watchdog saves at the deadline. */
    private final AtomicReference<HookRequest> unsettled = new AtomicReference<>();

    Outbox(Spool spool, Sender sender, Deadline deadline, HookLog log) {
        this.spool = spool;
        this.sender = sender;
        this.deadline = deadline;
        this.log = log;
        deadline.onExpiry(new Runnable() {
            @Override
            public void run() {
                var r = unsettled.getAndSet(null);
                if (r != null) {
                    log.warn("deadline reached with " + r.method() + " " + r.path() + " in flight: spooled");
                    keep(r);
                }
            }
        });
    }

    public void deliver(HookRequest request) {
        unsettled.set(request);
        deadline.prepared();
        if (spool.isEmpty() && request.body().length() < WRITE_AHEAD_BYTES) {
            if (send(request).settled()) settle(request);
            else keep(request);
            return;
        }
        if (keep(request)) {
            flush();
        } else if (send(request).settled()) { // cannot spool: sending now beats losing it
            settle(request);
        }
    }

    /** Delivers what is owed, oldest first; true when nothing is left. */
    public boolean flush() {
        try {
            var flushLock = spool.tryFlushLock();
            if (flushLock.isEmpty()) return false; // another hook is delivering right now
            try (var held = flushLock.get()) {
                while (true) {
                    var batch = spool.oldest(BATCH);
                    if (batch.isEmpty()) {
                        spool.remove(Set.of()); // only broken lines left, if any: drop them
                        return true;
                    }
                    var settled = new HashSet<String>();
                    boolean stopped = false;
                    for (var r : batch) {
                        if (send(r).settled()) {
                            settled.add(r.id());
                        } else {
                            stopped = true;
                            break;
                        }
                    }
                    spool.remove(settled);
                    if (stopped) return false;
                }
            }
        } catch (Exception e) {
            log.warn("flush failed: " + e);
            return false;
        }
    }

    private Delivery send(HookRequest r) {
        long left = deadline.remainingMs() - SPOOL_RESERVE_MS;
        if (left < 50) return Delivery.UNAVAILABLE; // no time to wait for an answer: keep it for later
        int connect = (int) Math.min(MAX_CONNECT_TIMEOUT_MS, left / 3);
        int read = (int) Math.min(MAX_READ_TIMEOUT_MS, left - connect);
        return sender.send(r, connect, read);
    }

    /** Spools {@code r}; settling it in the same critical section, so the watchdog cannot spool it twice. */
    private boolean keep(HookRequest r) {
        deadline.critical().lock();
        try {
            spool.append(r);
            unsettled.compareAndSet(r, null);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("LOST " + r.method() + " " + r.path() + ": cannot spool (" + e + ")");
            return false;
        } finally {
            deadline.critical().unlock();
        }
    }

    private void settle(HookRequest r) {
        deadline.critical().lock();
        try {
            unsettled.compareAndSet(r, null);
        } finally {
            deadline.critical().unlock();
        }
    }
}
