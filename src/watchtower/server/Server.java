package watchtower.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import watchtower.approvals.Approvals;
import watchtower.approvals.ApprovalsApi;
import watchtower.core.Config;
import watchtower.core.Threads;
import watchtower.http.Router;
import watchtower.http.StaticFiles;
import watchtower.ingest.EventsApi;
import watchtower.ingest.SessionEvents;
import watchtower.ingest.SessionRegistration;
import watchtower.ingest.SessionUpdatesApi;
import watchtower.ingest.TokensIngest;
import watchtower.security.AuthApi;
import watchtower.security.HostOriginGuard;
import watchtower.security.InstallSecret;
import watchtower.security.SecurityHeaders;
import watchtower.sessions.SessionFiles;
import watchtower.sessions.SessionsApi;
import watchtower.settings.SettingsApi;
import watchtower.store.Store;

/**
 * Builds the server from a Config: the install secret, the store, the live stream, the
 * handlers and the HTTP listener, and takes them down in the reverse order. Nothing here
 * handles a request; it only wires the parts.
 */
public final class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.server");
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Config config;
    private final InstallSecret secret;
    private final Store store;
    private final LiveStream live;
    private final HttpServer http;
    private final ExecutorService executor;
    private final Router router;

    private Server(Config config, InstallSecret secret, Store store, LiveStream live, HttpServer http,
                   ExecutorService executor, Router router) {
        this.router = router;
        this.config = config;
        this.secret = secret;
        this.store = store;
        this.live = live;
        this.http = http;
        this.executor = executor;
    }

    public static Server start(Config config) throws IOException, SQLException {
        var secret = InstallSecret.loadOrCreate(config.dataDir());
        var live = new LiveStream();
        var store = Store.open(config.db(), live::publish);
        try {
            var http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 512);
            var executor = Threads.perTask("http");
            http.setExecutor(executor); // never the default: it runs handlers on the one dispatcher thread
            int port = http.getAddress().getPort();

            var approvals = new Approvals(store);
            var sessionEvents = new SessionEvents(store, approvals);
            var sessionsApi = new SessionsApi(store);
            var parts = new Parts(new EventsApi(store, sessionEvents), new SessionRegistration(store),
                    new SessionUpdatesApi(store, approvals, new TokensIngest()),
                    new ApprovalsApi(store, approvals, ApprovalsApi.Decider.RECORD_ONLY), sessionsApi,
                    new SessionFiles(store), new SettingsApi(store), new AuthApi(secret),
                    StaticFiles.of(config.staticDir()));
            live.attachSnapshot(() -> store.sessions().list(watchtower.store.SessionsStore.Filter.ALL, 1000, 0));

            var guard = new HostOriginGuard(secret, config.loopbackOnly(), port, config.extraOrigins(),
                    TokenlessIngestSetting.of(store));
            var router = new Router(MAX_BODY_BYTES).guard(guard);
            Routes.register(router, parts);
            live.register(router);
            var context = http.createContext("/", router);
            context.getFilters().add(new SecurityHeaders());
            http.start();
            return new Server(config, secret, store, live, http, executor, router);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        var host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    public Store store() { return store; }
    public InstallSecret secret() { return secret; }
    public Config config() { return config; }

    /** Stops taking requests, closes live sockets, lets queued writes commit, closes the database. */
    @Override
    public void close() {
        live.close();
        try {
            if (!router.awaitIdle(java.time.Duration.ofSeconds(3))) {
                LOG.log(System.Logger.Level.WARNING, "requests still running after 3 s; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        executor.shutdown();
        store.close();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.DEBUG, "some request threads were still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
