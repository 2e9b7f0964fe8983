import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running server under test: which side, its loopback port, its process (our JVM, or the
 * reference's python, which start-peer.sh leaves running), its install token (ours only), its
 * database file and how long it took from launch to ready. {@link #stop} sends SIGTERM, then
 * SIGKILL if it has not exited in time, so a database is only read after its server is gone.
 */
final class ServerProcess implements AutoCloseable {
    final Side side;
    final int port;
    final ProcessHandle process;
    final String token;
    final Path db;
    final Path dir;
    final long readyNanos;

    ServerProcess(Side side, int port, ProcessHandle process, String token, Path db, Path dir, long readyNanos) {
        this.side = side;
        this.port = port;
        this.process = process;
        this.token = token;
        this.db = db;
        this.dir = dir;
        this.readyNanos = readyNanos;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    RawHttp client(boolean keepAlive, int timeoutMs) {
        return new RawHttp(port, keepAlive, timeoutMs, token);
    }

    long rssKb() {
        return ProcStatus.rssKb(process.pid());
    }

    long peakRssKb() {
        return ProcStatus.peakRssKb(process.pid());
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, and up to 20 s for a clean exit (ours commits and closes the database), then SIGKILL.
     * uvicorn waits on the first signal for open WebSocket handlers, and the reference's handler
     * only notices a gone client when it next sends; a SIGINT then makes uvicorn exit at once, so
     * the reference gets one after 3 s.
     */
    void stop() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (side == Side.REFERENCE && !exited(3)) interrupt();
            if (!exited(20)) {
                System.err.println("bench: " + side.label + " server pid " + process.pid() + " ignored SIGTERM for 20 s; killing it");
                process.destroyForcibly();
                if (!exited(10)) System.err.println("bench: pid " + process.pid() + " did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean exited(int seconds) throws InterruptedException {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }

    /** SIGINT (ProcessHandle can only send TERM and KILL). */
    private void interrupt() throws InterruptedException {
        try {
            var kill = new ProcessBuilder(List.of("kill", "-INT", String.valueOf(process.pid())))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("bench: cannot send SIGINT to " + process.pid() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
