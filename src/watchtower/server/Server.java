package watchtower.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import watchtower.agent.AgentApi;
import watchtower.agent.AgentRegistry;
import watchtower.agent.RemoteMachine;
import watchtower.approvals.Approvals;
import watchtower.approvals.HeldHooks;
import watchtower.approvals.ApprovalsApi;
import watchtower.control.ControlApi;
import watchtower.control.ControlOptions;
import watchtower.core.Config;
import watchtower.core.DbTarget;
import watchtower.core.Threads;
import watchtower.http.HandlerExecutor;
import watchtower.http.Router;
import watchtower.http.StaticFiles;
import watchtower.ingest.ClaudeHookApi;
import watchtower.ingest.EventsApi;
import watchtower.ingest.SessionMetadata;
import watchtower.ingest.SessionEvents;
import watchtower.ingest.SessionRegistration;
import watchtower.ingest.SessionUpdatesApi;
import watchtower.ingest.TokensIngest;
import watchtower.machines.MachinesApi;
import watchtower.machines.MachinesStore;
import watchtower.security.AuthApi;
import watchtower.security.HostOriginGuard;
import watchtower.security.InstallSecret;
import watchtower.security.SecurityHeaders;
import watchtower.sessions.SessionFiles;
import watchtower.sessions.SessionsApi;
import watchtower.settings.SettingsApi;
import watchtower.store.Retention;
import watchtower.store.SqliteNative;
import watchtower.store.Store;
import watchtower.team.Team;
import watchtower.websocket.HubConfig;

/**
 * Builds the server from a Config: the install secret, the store, the live stream, the
 * handlers and the HTTP listener, and takes them down in the reverse order. Nothing here
 * handles a request; it only wires the parts.
 */
public final class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("watchtower.server");
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Personas give the PermissionRequest hook a 600 s timeout; answer before Claude Code gives up. */
    static final java.time.Duration HELD_HOOK_MAX = java.time.Duration.ofSeconds(590);

    private final Config config;
    private final InstallSecret secret;
    private final Store store;
    private final LiveStream live;
    private final HttpServer http;
    private final ExecutorService executor;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Router router;
    private final java.util.List<AutoCloseable> closeables;

    private Server(Config config, InstallSecret secret, Store store, LiveStream live, HttpServer http,
                   ExecutorService executor, Router router, java.util.List<AutoCloseable> closeables) {
        this.router = router;
        this.closeables = closeables;
        this.config = config;
        this.secret = secret;
        this.store = store;
        this.live = live;
        this.http = http;
        this.executor = executor;
    }

    public static Server start(Config config) throws IOException, SQLException {
        Limits.apply(); // effective if this is the JVM's first HttpServer
        var secret = InstallSecret.loadOrCreate(config.dataDir());
        var live = new LiveStream(HubConfig.defaults());
        var team = new Team(config.db()); // several instances on one PostgreSQL database
        if (config.db() instanceof DbTarget.SqliteFile) SqliteNative.useKeptCopy(config.dataDir());
        var store = Store.open(config.db(), team.broadcaster(live::publish, live::publishJson));
        var closeables = new java.util.ArrayList<AutoCloseable>();
        try {
            var http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 512);
            // platform threads: one kept warm for the next request (see HandlerExecutor)
            var executor = Threads.hasVirtualThreads() ? Threads.perTask("http")
                    : new HandlerExecutor(Threads.perTask("http"));
            http.setExecutor(executor); // never the default: it runs handlers on the one dispatcher thread
            int port = http.getAddress().getPort();

            var held = new HeldHooks(HELD_HOOK_MAX);
            var approvals = new Approvals(store, held);
            var sessionEvents = new SessionEvents(store, approvals);
            var events = new EventsApi(store, sessionEvents);
            var tokens = new TokensIngest(store);
            var agents = new AgentRegistry(); // sessions on other machines are steered through their `wtctl agent`
            var control = ControlApi.create(store, approvals, held, ControlOptions.fromEnvironment(), config.host(), port,
                    secret.value(), name -> new RemoteMachine(agents, name));
            // held hook (ours, else another instance's), else keys in uvs_<id>, else none
            ApprovalsApi.Decider decider = team.decider(held, control.decider());
            var machines = new MachinesStore(store); // team mode: agents on other machines
            var parts = new Parts(events, new SessionRegistration(store),
                    new SessionUpdatesApi(store, approvals, tokens),
                    new ApprovalsApi(store, approvals, decider), new SessionsApi(store, team.agentOnline(agents)),
                    new SessionFiles(store), new SettingsApi(store), new AuthApi(secret),
                    StaticFiles.of(config.staticDir()),
                    new ClaudeHookApi(store, events, approvals, held, new SessionMetadata(), tokens), control,
                    new MachinesApi(machines), new AgentApi(agents, watchtower.http.Request::machine), new HealthApi(store));
            closeables.add(new Retention(store, config.retainDays()).start(java.time.Duration.ofHours(1)));
            team.start(held, agents, json -> live.publishJson(List.of(json)));
            closeables.add(team);
            closeables.add(held);
            closeables.add(agents);
            closeables.add(tokens);
            live.attachSnapshot(() -> store.sessions().list(watchtower.store.SessionsStore.Filter.ALL, 1000, 0));

            var guard = new HostOriginGuard(secret, config.loopbackOnly(), port, config.extraOrigins(),
                    TokenlessIngestSetting.of(store), machines::authenticate);
            var router = new Router(MAX_BODY_BYTES).guard(guard);
            Routes.register(router, parts);
            live.register(router);
            var context = http.createContext("/", router);
            context.getFilters().add(new SecurityHeaders());
            http.start();
            return new Server(config, secret, store, live, http, executor, router, closeables);
        } catch (IOException | RuntimeException e) {
            live.close();
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

    /** Why the live stream cannot work on this JVM, if it cannot (said once at start-up). */
    public java.util.Optional<String> liveProblem() { return live.problem(); }

    /** Stops taking requests, closes live sockets, lets queued writes commit, closes the database. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return; // a second close (a test's, a shutdown hook's) has nothing to do
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
        for (var c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + c.getClass().getSimpleName() + ": " + e);
            }
        }
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
