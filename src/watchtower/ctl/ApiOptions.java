package watchtower.ctl;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every command that talks to the server shares (picocli's mixin, as in Git.java):
 * {@code --url} and {@code --json}. Given before the subcommand (`wtctl --url X ls`) they apply
 * to it too, because the root command carries the same mixin and the nearest value wins.
 */
public final class ApiOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--url", paramLabel = "URL",
            description = {"Watchtower's address (default: $UVS_WATCHTOWER_URL,", "else " + CtlEnv.DEFAULT_URL + ")"})
    String url;

    @Option(names = "--json", description = "Print the server's JSON unchanged, for scripts")
    boolean json;

    public CtlEnv env() {
        return Root.of(mixee).env();
    }

    public boolean json() {
        return chain().stream().anyMatch(o -> o.json);
    }

    public PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    public PrintWriter err() {
        return mixee.commandLine().getErr();
    }

    public Palette palette() {
        return new Palette(env().color());
    }

    /** A client for the chosen server, carrying the install token when there is one. */
    public ApiClient client() {
        var env = env();
        return new ApiClient(baseUrl(), TokenFile.read(env.tokenFile()), env.tokenFile());
    }

    /** The server's address: --url (here or on a parent command), else UVS_WATCHTOWER_URL, else the default. */
    public String baseUrl() {
        return checkedUrl(chain().stream().map(o -> o.url).filter(u -> u != null).findFirst().orElse(env().defaultUrl()));
    }

    /** This command's options, then its parents' (`wtctl --url X settings get`): the nearest given wins. */
    private List<ApiOptions> chain() {
        var chain = new ArrayList<ApiOptions>();
        for (var spec = mixee; spec != null; spec = spec.parent()) {
            for (var mixin : spec.mixins().values()) {
                if (mixin.userObject() instanceof ApiOptions o) chain.add(o);
            }
        }
        return chain;
    }

    private String checkedUrl(String raw) {
        try {
            var uri = new URI(raw.trim());
            var scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new URISyntaxException(raw, "expected http://HOST:PORT");
            }
            return raw.trim().replaceAll("/+$", "");
        } catch (URISyntaxException e) {
            throw new ParameterException(mixee.commandLine(), "invalid server URL '" + Format.clip(raw, 80)
                    + "': expected http://HOST:PORT, e.g. " + CtlEnv.DEFAULT_URL);
        }
    }
}
