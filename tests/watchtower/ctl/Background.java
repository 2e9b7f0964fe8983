package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A wtctl command that keeps running (tail, events -f) on its own thread, with live views of
 * its output. Waits poll a condition against a deadline and fail the test when it passes.
 */
final class Background implements AutoCloseable {
    private static final long DEADLINE_MS = 10_000;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final Future<Integer> exit;

    Background(CtlEnv env, String... args) {
        exit = thread.submit(() -> Ctl.run(env, out, err, args));
    }

    void awaitErr(String text) {
        await(() -> err.toString().contains(text), "stderr to contain '" + text + "'");
    }

    void awaitOut(String text) {
        await(() -> out.toString().contains(text), "stdout to contain '" + text + "'");
    }

    int awaitExit() throws Exception {
        return exit.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    private void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.getAsBoolean()) {
            if (exit.isDone() || System.nanoTime() > end) {
                assertTrue(condition.getAsBoolean(), "waited for " + what + (exit.isDone() ? " but the command ended" : "")
                        + "\n--- stdout\n" + out + "--- stderr\n" + err);
                return;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5); // polling interval of a deadline-bound wait, not a stand-in for one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        exit.cancel(true);
        thread.shutdownNow();
    }
}
