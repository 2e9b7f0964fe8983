package watchtower.ctl;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `wtctl machine add|ls|rm`: the machines whose agents post to this Watchtower with a token of
 * their own (team mode). `add` prints the two lines to set on that machine on stdout (and
 * nothing else there, so they can go straight into a file); what they mean goes to stderr.
 */
@Command(name = "machine", mixinStandardHelpOptions = true,
        header = "Add, list or revoke the machines whose agents post here with their own token.",
        description = {"A machine's token may only send events: it cannot read sessions, decide approvals",
                "or change settings, and it can only write into its own sessions.",
                "Without a subcommand, lists the machines."},
        footer = {"", "Examples:", "  wtctl machine add laptop --server-url http://10.0.0.5:4200",
                "  wtctl machine ls", "  wtctl machine rm laptop"})
final class MachineCommand implements Callable<Integer> {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    @Mixin
    ApiOptions api;

    @Override
    public Integer call() {
        return list(api);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            header = "Enroll a machine; prints its token, once, as the lines to set there.",
            description = {"Adding a name that was revoked enrolls it again with a new token (a rotation)."},
            footer = {"", "Examples:", "  wtctl machine add laptop --server-url http://10.0.0.5:4200",
                    "  wtctl machine add ci-runner-2 --json"})
    int add(@Mixin ApiOptions api,
            @Parameters(paramLabel = "NAME", description = "Letters, digits, '.', '_' or '-'; up to 64") String name,
            @Option(names = "--server-url", paramLabel = "URL",
                    description = "This server's address as that machine reaches it (default: --url)") String serverUrl) {
        var json = api.client().post("/machines", Map.of("name", name));
        var out = api.out();
        var err = api.err();
        if (api.json()) {
            out.println(json.strip());
            out.flush();
            return CtlError.OK;
        }
        var created = MiniJson.parseObject(json);
        var url = serverUrl != null ? serverUrl.replaceAll("/+$", "") : api.baseUrl();
        var machine = Format.clean(MiniJson.text(created, "name"));
        err.println("Machine " + machine + " added. Its token is shown only this once: set these on " + machine
                + " (http hooks, wthook and `wtctl agent` read the token from $UVS_TOKEN).");
        if (isLoopback(url)) {
            err.println("note: " + url + " is this machine's loopback; give --server-url with an address " + machine
                    + " can reach, and start Watchtower with --host 0.0.0.0");
        }
        err.flush();
        out.println("UVS_WATCHTOWER_URL=" + url);
        out.println("UVS_TOKEN=" + MiniJson.text(created, "token"));
        out.flush();
        return CtlError.OK;
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, header = "List the machines.",
            footer = {"", "Examples:", "  wtctl machine ls", "  wtctl machine ls --json"})
    int list(@Mixin ApiOptions api) {
        var json = api.client().get("/machines");
        var out = api.out();
        if (api.json()) {
            out.println(json.strip());
        } else {
            var machines = MiniJson.parseObjects(json);
            if (machines.isEmpty()) {
                api.err().println("No machines yet; add one with `wtctl machine add NAME`.");
                api.err().flush();
            } else {
                var now = Instant.now();
                var table = new Table("NAME", "STATUS", "LAST SEEN", "ADDED");
                for (var m : machines) {
                    var revoked = MiniJson.text(m, "revoked_at");
                    table.add(Format.clean(MiniJson.text(m, "name")), revoked == null ? "active" : "revoked",
                            seen(MiniJson.text(m, "last_seen_at"), now), Format.age(MiniJson.text(m, "created_at"), now));
                }
                table.print(out);
            }
        }
        out.flush();
        return CtlError.OK;
    }

    @Command(name = "rm", aliases = "revoke", mixinStandardHelpOptions = true,
            header = "Revoke a machine: its token stops working at once.",
            description = {"Asks first when run at a terminal, unless --yes. Its sessions and events are kept."},
            footer = {"", "Examples:", "  wtctl machine rm laptop", "  wtctl machine rm laptop --yes"})
    int remove(@Mixin ApiOptions api,
               @Parameters(paramLabel = "NAME") String name,
               @Option(names = {"-y", "--yes"}, description = "Do not ask") boolean yes) {
        var env = api.env();
        if (env.interactive() && !yes
                && !Confirm.ask(env, api.err(), "Revoke machine " + Format.clip(name, 64) + "? Its agents stop reporting.")) {
            throw Confirm.cancelled();
        }
        var json = api.client().delete("/machines/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        api.out().println(api.json() ? json.strip() : "revoked " + Format.clean(name) + "; its token no longer works");
        api.out().flush();
        return CtlError.OK;
    }

    private static String seen(String lastSeen, Instant now) {
        return lastSeen == null ? "never" : Format.age(lastSeen, now) + " ago";
    }

    private static boolean isLoopback(String url) {
        try {
            var host = URI.create(url).getHost();
            return host == null || LOOPBACK.contains(host) || host.startsWith("127.");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
