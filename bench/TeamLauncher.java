import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts our server on any database, a SQLite file or a PostgreSQL URL, as {@link Launcher} does
 * for files only: {@code java -cp <jar> Watchtower --port P --db DB --data-dir D}, ready when it
 * prints "ready at". Each instance has its own folder (token, logs). Every process started is
 * remembered, so {@link #close} (also run on Ctrl-C) leaves none behind.
 */
final class TeamLauncher implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(60);

    private final String javaBin;
    private final String classpath;
    private final List<String> jvmOptions;
    private final List<ServerProcess> started = new CopyOnWriteArrayList<>();

    TeamLauncher(String javaBin, String classpath, List<String> jvmOptions) {
        this.javaBin = javaBin;
        this.classpath = classpath;
        this.jvmOptions = jvmOptions;
    }

    /** {@code db}: a file path or a postgresql:// URL, passed to --db as it is. */
    ServerProcess start(Path dir, String db) throws IOException {
        Files.createDirectories(dir);
        int port = Launcher.freePort();
        var cmd = new ArrayList<String>();
        cmd.add(javaBin);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, "Watchtower",
                "--port", String.valueOf(port), "--db", db, "--data-dir", dir.resolve("uvs").toString()));
        long t0 = System.nanoTime();
        var process = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectError(dir.resolve("server.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        var ready = Launcher.watchForReady(process, dir.resolve("server.out"));
        try {
            long at = ready.get(READY.toMillis(), TimeUnit.MILLISECONDS);
            var token = Files.readString(dir.resolve("uvs/token")).strip();
            var file = db.startsWith("postgresql:") ? null : Path.of(db);
            var server = new ServerProcess(Side.OURS, port, process.toHandle(), token, file, dir, at - t0);
            started.add(server);
            return server;
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new IOException("our server did not become ready in " + READY.toSeconds() + " s: "
                    + Launcher.tail(dir.resolve("server.err")));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting our server");
        }
    }

    /** Stops them all (SIGTERM, then SIGKILL after 20 s), so their databases are complete when read. */
    static void stopAll(List<ServerProcess> servers) {
        servers.parallelStream().forEach(ServerProcess::stop);
    }

    @Override
    public void close() {
        stopAll(started);
    }
}
