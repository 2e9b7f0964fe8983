package watchtower.ctl;

import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `wtctl doctor`: checks the setup and says how to fix each problem. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        header = "Check the setup and say how to fix each problem.",
        description = {"Checks Java, jbang, the uvs catalog, tmux, Claude Code, the server, the hooks, the",
                "token file and the database folder. Each line reads: ok|warn|fail  what  (how to fix it).",
                "Exits 0 when nothing failed, 1 otherwise. It only looks; it changes nothing."},
        footer = {"", "Examples:", "  wtctl doctor", "  wtctl doctor --url http://127.0.0.1:4300"})
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Override
    public Integer call() {
        ApiClient client;
        try {
            client = api.client();
        } catch (CtlError unsafeToken) {
            // the token check below reports it; the server is still worth asking, without a token
            client = new ApiClient(api.baseUrl(), Optional.empty(), api.env().tokenFile());
        }
        var checks = new Doctor(api.env(), client).run();
        var out = api.out();
        if (api.json()) {
            var rows = checks.stream().map(c -> {
                var row = new LinkedHashMap<String, Object>();
                row.put("level", c.level().label);
                row.put("what", c.what());
                row.put("fix", c.fix());
                return row;
            }).toList();
            out.println(MiniJson.write(rows));
        } else {
            var palette = api.palette();
            for (var c : checks) {
                var label = String.format("%-4s", c.level().label);
                label = switch (c.level()) {
                    case OK -> palette.green(label);
                    case WARN -> palette.yellow(label);
                    case FAIL -> palette.red(label);
                };
                out.println(label + "  " + Format.clean(c.what()) + (c.fix() == null ? "" : "  (" + Format.clean(c.fix()) + ")"));
            }
        }
        out.flush();
        return checks.stream().anyMatch(c -> c.level() == Check.Level.FAIL) ? CtlError.REFUSED : CtlError.OK;
    }
}
