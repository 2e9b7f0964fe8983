package watchtower.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Watchtower as a separate JVM (the test's own classpath, main class Watchtower), for what only
 * a real process shows: kill -9, SIGTERM, the ready line, exit codes.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready at (http://\\S+)");

    private final Process process;
    private final String url;
    private final List<String> output;

    private ServerProcess(Process process, String url, List<String> output) {
        this.process = process;
        this.url = url;
        this.output = output;
    }

    public static ServerProcess start(Path dataDir, Path db, String... extraArgs) throws IOException {
        return start(dataDir, db, List.of(), extraArgs);
    }

    /** As {@link #start(Path, Path, String...)}, with options for the server's JVM (system properties). */
    public static ServerProcess start(Path dataDir, Path db, List<String> jvmOptions, String... extraArgs) throws IOException {
        var cmd = new ArrayList<>(javaCommand("Watchtower"));
        cmd.addAll(1, jvmOptions);
        cmd.addAll(List.of("--port", "0", "--data-dir", dataDir.toString(), "--db", db.toString()));
        cmd.addAll(List.of(extraArgs));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("WATCHTOWER_PORT");
        pb.environment().remove("WATCHTOWER_DB");
        var process = pb.start();
        var output = java.util.Collections.synchronizedList(new ArrayList<String>());
        var ready = new CompletableFuture<String>();
        var reader = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    var m = READY.matcher(line);
                    if (m.find()) ready.complete(m.group(1));
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new AssertionError("server exited before ready: " + output));
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServerProcess(process, ready.get(30, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("server did not become ready: " + output, e);
        }
    }

    /** java with the JDK internals the WebSocket needs opened, on this test run's classpath. */
    public static List<String> javaCommand(String mainClass) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--add-opens", "jdk.httpserver/sun.net.httpserver=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass);
    }

    public String url() { return url; }
    public Process process() { return process; }
    public List<String> output() { return List.copyOf(output); }

    public void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
