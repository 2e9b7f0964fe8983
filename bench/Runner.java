import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs one piece of work against a freshly started server of either side and stops it again,
 * noting its peak memory first. If the reference cannot be started once (no shared script, no
 * python packages), it is skipped for the rest of the run with one note; if ours cannot, that
 * is a failure of the run.
 */
final class Runner {
    @FunctionalInterface
    interface Body<T> {
        T run(ServerProcess server) throws Exception;
    }

    /** What the body returned, the (now stopped) server it ran on, and that server's peak RSS. */
    record Done<T>(T value, ServerProcess server, long peakRssKb) {}

    final Launcher launcher;
    final Report report;
    private boolean referenceUsable;

    Runner(Launcher launcher, Report report) {
        this.launcher = launcher;
        this.report = report;
        this.referenceUsable = launcher.referenceInstalled();
        if (!referenceUsable) report.note("reference server not measured: shared/peer/start-peer.sh not found");
    }

    boolean usable(Side side) {
        return side == Side.OURS || referenceUsable;
    }

    <T> Optional<Done<T>> fresh(Side side, String label, Body<T> body) {
        if (!usable(side)) return Optional.empty();
        try {
            return on(side, launcher.newDir(side, label), label, Launcher.READY, body);
        } catch (java.io.IOException e) {
            return failed(side, label, e);
        }
    }

    /** Starts a server on {@code dir}'s existing database (a prepared data set), allowing {@code ready} to start. */
    <T> Optional<Done<T>> on(Side side, Path dir, String label, java.time.Duration ready, Body<T> body) {
        if (!usable(side)) return Optional.empty();
        ServerProcess server;
        try {
            server = launcher.start(side, dir, ready);
        } catch (Exception e) {
            return failed(side, label, e);
        }
        try {
            var value = body.run(server);
            long peak = server.peakRssKb();
            if (!server.alive()) throw new IllegalStateException("the server exited during the run");
            server.stop();
            return Optional.of(new Done<>(value, server, peak));
        } catch (Exception e) {
            server.stop();
            var why = side.label + " server, " + label + ": " + e + " (log: " + Launcher.tail(dir.resolve(
                    side == Side.OURS ? "server.err" : "peer.log")) + ")";
            if (side == Side.OURS) report.failure(why);
            else report.note("reference run failed: " + why);
            return Optional.empty();
        }
    }

    private <T> Optional<Done<T>> failed(Side side, String label, Exception e) {
        if (side == Side.OURS) {
            report.failure("our server could not start for " + label + ": " + e.getMessage());
        } else {
            referenceUsable = false;
            report.note("reference server not measured from " + label + " on: " + e.getMessage());
        }
        return Optional.empty();
    }
}
