package watchtower.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server the suite's second pass runs on: the one WATCHTOWER_TEST_PG names (CI
 * starts it with .ci/postgres.sh), else a private throwaway cluster started here with the same
 * script when PostgreSQL is installed, stopped again at the end.
 */
public final class TestPostgres implements AutoCloseable {
    private final String url;
    private final Path ownedDir;

    private TestPostgres(String url, Path ownedDir) {
        this.url = url;
        this.ownedDir = ownedDir;
    }

    public String url() { return url; }

    /** The server to use, or why there is none. */
    public static Optional<TestPostgres> find(StringBuilder whyNot) {
        var env = System.getenv("WATCHTOWER_TEST_PG");
        if ("off".equals(env)) {
            whyNot.append("WATCHTOWER_TEST_PG=off");
            return Optional.empty();
        }
        if (env != null && !env.isBlank()) return Optional.of(new TestPostgres(env, null));
        try (var bins = Files.list(Path.of("/usr/lib/postgresql"))) {
            if (bins.noneMatch(v -> Files.isExecutable(v.resolve("bin/initdb")))) throw new IOException("no initdb");
        } catch (IOException e) {
            whyNot.append("PostgreSQL is not installed (apt-get install postgresql), and WATCHTOWER_TEST_PG is not set");
            return Optional.empty();
        }
        try {
            var dir = Files.createTempDirectory("wt-pg-");
            int port;
            try (var s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            var out = run(Repo.root().resolve(".ci/postgres.sh").toString(), "start", dir.toString(), String.valueOf(port));
            var line = out.lines().filter(l -> l.startsWith("WATCHTOWER_TEST_PG=")).findFirst()
                    .orElseThrow(() -> new IOException(".ci/postgres.sh said: " + out));
            return Optional.of(new TestPostgres(line.substring(line.indexOf('=') + 1), dir));
        } catch (IOException | InterruptedException e) {
            whyNot.append("could not start a PostgreSQL cluster: ").append(e.getMessage());
            return Optional.empty();
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(out.strip());
        return out;
    }

    @Override
    public void close() {
        if (ownedDir == null) return;
        try {
            run(Repo.root().resolve(".ci/postgres.sh").toString(), "stop", ownedDir.toString());
        } catch (IOException | InterruptedException e) {
            System.err.println("test: stopping PostgreSQL in " + ownedDir + ": " + e.getMessage());
        }
    }
}
