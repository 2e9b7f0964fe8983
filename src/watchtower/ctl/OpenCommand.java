package watchtower.ctl;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `wtctl open`: the dashboard, signed in. The token travels in the URL fragment, which browsers
 * never send to a server; the dashboard reads it once and removes it from the address bar.
 */
@Command(name = "open", mixinStandardHelpOptions = true,
        header = "Open the dashboard in a browser, signed in with the install token.",
        description = {"Prints the address, then opens it with xdg-open (Linux) or open (macOS) when present.",
                "The address holds the token: whoever has it can approve commands, so do not share it."},
        footer = {"", "Examples:", "  wtctl open", "  wtctl open --print"})
final class OpenCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Option(names = {"-p", "--print"}, description = "Only print the address")
    boolean printOnly;

    @Override
    public Integer call() {
        var client = api.client();
        var url = client.base() + "/" + client.token().map(t -> "#token=" + t).orElse("");
        api.out().println(url);
        api.out().flush();
        if (client.token().isEmpty()) {
            api.err().println("note: no install token at " + api.env().tokenFile()
                    + "; the dashboard will ask for it (it is created when the server first starts)");
        }
        if (printOnly) return CtlError.OK;
        var opener = api.env().which("xdg-open").or(() -> api.env().which("open"));
        if (opener.isEmpty()) {
            api.err().println("note: no xdg-open or open here; paste the address into a browser");
        } else if (Programs.quietly(List.of(opener.get().toString(), url), 10) != 0) {
            api.err().println("note: " + opener.get().getFileName() + " failed; paste the address into a browser");
        }
        api.err().flush();
        return CtlError.OK;
    }
}
