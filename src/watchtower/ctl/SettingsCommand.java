package watchtower.ctl;

import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `wtctl settings get|set`: the server's whitelisted settings. */
@Command(name = "settings", mixinStandardHelpOptions = true,
        header = "Show or change the server's settings (terminal_app, tokenless_ingest, ...).",
        description = "Without a subcommand, shows every setting.",
        footer = {"", "Examples:", "  wtctl settings get", "  wtctl settings get terminal_app",
                "  wtctl settings set terminal_app iterm"})
final class SettingsCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Override
    public Integer call() {
        return get(api, null);
    }

    @Command(name = "get", mixinStandardHelpOptions = true, header = "Show every setting, or one setting's value.",
            footer = {"", "Examples:", "  wtctl settings get", "  wtctl settings get terminal_app"})
    int get(@Mixin ApiOptions api,
            @Parameters(paramLabel = "KEY", arity = "0..1", description = "Only this setting's value") String key) {
        var json = api.client().get("/settings");
        var out = api.out();
        var settings = MiniJson.parseObject(json);
        if (key != null) {
            if (!settings.containsKey(key) || settings.get(key) == null) {
                throw CtlError.refused(0, "setting " + Format.clip(key, 40) + " is not set", "see `wtctl settings get`");
            }
            out.println(api.json() ? MiniJson.write(settings.get(key)) : Format.clean(MiniJson.text(settings, key)));
        } else if (api.json()) {
            out.println(json.strip());
        } else if (settings.isEmpty()) {
            api.err().println("No settings stored; the server uses its defaults.");
            api.err().flush();
        } else {
            var table = new Table("KEY", "VALUE");
            settings.forEach((k, v) -> table.add(k, MiniJson.text(settings, k)));
            table.print(out);
        }
        out.flush();
        return CtlError.OK;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, header = "Change a setting (the server checks key and value).",
            footer = {"", "Example:", "  wtctl settings set terminal_app iterm"})
    int set(@Mixin ApiOptions api,
            @Parameters(index = "0", paramLabel = "KEY") String key,
            @Parameters(index = "1", paramLabel = "VALUE") String value) {
        var body = new LinkedHashMap<String, Object>();
        body.put("key", key);
        body.put("value", value);
        var json = api.client().post("/settings", body);
        api.out().println(api.json() ? json.strip() : Format.clean(key) + " = " + Format.clean(value));
        api.out().flush();
        return CtlError.OK;
    }
}
