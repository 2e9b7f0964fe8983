///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.xerial:sqlite-jdbc:3.54.1.0
//DEPS org.postgresql:postgresql:42.7.14
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0
//JAVA_OPTIONS --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED -XX:+UseSerialGC -Xmx256m -Xlog:disable -Xlog:all=warning,cds*=off:stderr
//CDS
//SOURCES src/watchtower/core/*.java
//SOURCES src/watchtower/http/*.java
//SOURCES src/watchtower/store/*.java
//SOURCES src/watchtower/security/*.java
//SOURCES src/watchtower/websocket/*.java
//SOURCES src/watchtower/tokens/*.java
//SOURCES src/watchtower/approvals/*.java
//SOURCES src/watchtower/ingest/*.java
//SOURCES src/watchtower/sessions/*.java
//SOURCES src/watchtower/control/*.java
//SOURCES src/watchtower/agent/*.java
//SOURCES src/watchtower/settings/*.java
//SOURCES src/watchtower/machines/*.java
//SOURCES src/watchtower/team/*.java
//SOURCES src/watchtower/server/*.java
//FILES static/=static/**
//DESCRIPTION Watchtower: see and steer every Claude Code session. Example: jbang watchtower@uvs --port 4200

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.server.Server;
import watchtower.server.StartupCheck;
import watchtower.server.Version;

@Command(name = "watchtower", mixinStandardHelpOptions = true, versionProvider = Watchtower.VersionProvider.class,
        description = "Runs the Watchtower server: hooks post here, the dashboard and wtctl read and act here.")
public class Watchtower implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:WATCHTOWER_HOST:-127.0.0.1}",
            description = "Address to bind (default ${DEFAULT-VALUE}). Beyond loopback every request needs the token.")
    String host;

    @Option(names = "--port", defaultValue = "${env:WATCHTOWER_PORT:-4200}", description = "Port (default ${DEFAULT-VALUE}, env WATCHTOWER_PORT).")
    int port;

    @Option(names = "--db", defaultValue = "${env:WATCHTOWER_DB}",
            description = "SQLite file, or postgresql://user:pass@host:5432/db for a database shared by several"
                    + " instances (env WATCHTOWER_DB; default <data-dir>/watchtower.db).")
    String db;

    @Option(names = "--data-dir", defaultValue = "${env:UVS_HOME}", description = "Folder for the token and logs (env UVS_HOME; default ~/.uvs).")
    Path dataDir;

    @Option(names = "--static", description = "Serve the dashboard from this folder instead of the built-in copy (for development).")
    Path staticDir;

    @Option(names = "--allow-origin", description = "Another browser origin allowed to call the API, e.g. https://wt.example.com (repeatable).")
    List<String> allowOrigins = List.of();

    @Option(names = "--retain-days", defaultValue = "${env:WATCHTOWER_RETAIN_DAYS:-0}",
            description = "Prune events older than this many days, in the background (default 0: keep everything).")
    int retainDays;

    public static void main(String[] args) {
        StartupCheck.configureLogging();
        System.exit(new CommandLine(new Watchtower()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        var data = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".uvs");
        DbTarget target;
        try {
            target = db != null && !db.isBlank() ? DbTarget.parse(db, System.getenv("PGPASSWORD"))
                    : new DbTarget.SqliteFile(data.resolve("watchtower.db"));
        } catch (IllegalArgumentException e) { // also a bad path (InvalidPathException)
            System.err.println("watchtower: --db: " + e.getMessage());
            return 2;
        }
        var config = new Config(host, port, target, data, Optional.ofNullable(staticDir), allowOrigins, retainDays);
        var problem = StartupCheck.problems(config);
        if (problem.isPresent()) {
            System.err.println("watchtower: " + problem.get());
            return 1;
        }
        Server server;
        try {
            server = Server.start(config);
        } catch (Exception e) {
            System.err.println("watchtower: cannot start: " + StartupCheck.explain(e, config));
            return 1;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        StartupCheck.warnings(config).forEach(w -> System.err.println("watchtower: " + w));
        server.liveProblem().ifPresent(p -> System.err.println("watchtower: live updates are off: " + p));
        System.out.println("Watchtower " + Version.VALUE + " ready at " + server.url() + "  (db " + config.db().describe() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"watchtower " + Version.VALUE};
        }
    }
}
