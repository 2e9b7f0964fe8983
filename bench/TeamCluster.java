import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL cluster for the run, started by .ci/postgres.sh with PG_DURABLE=1 (fsync,
 * synchronous_commit and full_page_writes on, so a commit is on disk, as in a deployment) on a
 * free loopback port. Each measured run gets a fresh database in it. Also reads a database back
 * for the exactly-once check, as {@link StoredEvents} does for a SQLite file.
 */
final class TeamCluster implements AutoCloseable {
    private final Tree tree;
    private final Path dir;
    private final int port;
    private boolean running = true;

    private TeamCluster(Tree tree, Path dir, int port) {
        this.tree = tree;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Its folder sits directly in the temp folder, not in the run's work folder: as root the
     * cluster belongs to the postgres user, which cannot enter a folder private to root.
     */
    static TeamCluster start(Tree tree) throws IOException, InterruptedException {
        var dir = Files.createTempDirectory("wt-teambench-pg-");
        int port = Launcher.freePort();
        var pb = new ProcessBuilder(List.of("bash", tree.root().resolve(".ci/postgres.sh").toString(), "start",
                dir.toString(), String.valueOf(port)))
                .directory(tree.root().toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PG_DURABLE", "1");
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(90, TimeUnit.SECONDS)) p.destroyForcibly();
        if (!p.isAlive() && p.exitValue() == 0 && out.contains("WATCHTOWER_TEST_PG=")) return new TeamCluster(tree, dir, port);
        deleteTree(dir);
        throw new IOException(".ci/postgres.sh could not start PostgreSQL: " + out);
    }

    /** A new, empty database; returns the URL our server takes with --db. */
    String createDatabase(String name) throws SQLException {
        try (var c = connect("postgres"); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return "postgresql://postgres@127.0.0.1:" + port + "/" + name;
    }

    /** The server's version and the settings that make commits durable, for the report. */
    Map<String, String> settings() throws SQLException {
        var found = new LinkedHashMap<String, String>();
        try (var c = connect("postgres"); var st = c.createStatement()) {
            for (var name : List.of("server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method")) {
                try (var rs = st.executeQuery("SHOW " + name)) {
                    if (rs.next()) found.put(name, rs.getString(1));
                }
            }
        }
        return found;
    }

    /** Every acknowledged {@code wt_event_id} must be stored once; read from events.payload, as for SQLite. */
    StoredEvents.Check verify(String database, Collection<String> acked) throws SQLException {
        var counts = new HashMap<String, Integer>();
        try (var c = connect(database); var st = c.createStatement();
             var rs = st.executeQuery("SELECT payload::jsonb ->> 'wt_event_id' FROM events")) {
            while (rs.next()) {
                var id = rs.getString(1);
                if (id != null) counts.merge(id, 1, Integer::sum);
            }
        }
        long stored = counts.values().stream().mapToLong(Integer::longValue).sum();
        var ackedSet = new HashSet<>(acked);
        long missing = ackedSet.stream().filter(id -> !counts.containsKey(id)).count();
        long duplicated = ackedSet.stream().filter(id -> counts.getOrDefault(id, 0) > 1).count();
        long unacked = counts.keySet().stream().filter(id -> !ackedSet.contains(id)).count();
        return new StoredEvents.Check(ackedSet.size(), stored, missing, duplicated, unacked);
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    @Override
    public synchronized void close() {
        if (!running) return;
        running = false;
        try {
            var p = new ProcessBuilder(List.of("bash", tree.root().resolve(".ci/postgres.sh").toString(), "stop", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                System.err.println("teambench: PostgreSQL did not stop within 60 s; its folder is " + dir);
                return;
            }
            deleteTree(dir);
        } catch (IOException e) {
            System.err.println("teambench: cannot stop PostgreSQL in " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (var p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
