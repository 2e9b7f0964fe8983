package watchtower.ctl;

import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `wtctl spawn`: a new agent in Watchtower's tmux, in this folder unless --cwd says otherwise. */
@Command(name = "spawn", mixinStandardHelpOptions = true,
        header = "Start a new agent session (Claude Code or Codex) in Watchtower's tmux.",
        description = "The session starts in the current folder unless --cwd is given.",
        footer = {"", "Examples:", "  wtctl spawn", "  wtctl spawn --persona spike --task \"try the new parser\"",
                "  wtctl spawn --tool codex --cwd ~/src/api"})
final class SpawnCommand implements Callable<Integer> {
    private static final Set<String> TOOLS = Set.of("claude", "codex");

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Option(names = "--tool", paramLabel = "TOOL", defaultValue = "claude",
            description = "claude or codex (default: ${DEFAULT-VALUE})")
    String tool;

    @Option(names = "--persona", paramLabel = "P", description = "auto, professional, spike or sport")
    String persona;

    @Option(names = "--cwd", paramLabel = "DIR", description = "The folder to start in (default: this one)")
    String cwd;

    @Option(names = "--task", paramLabel = "T", description = "The first prompt to give the agent")
    String task;

    @Override
    public Integer call() {
        if (!TOOLS.contains(tool)) {
            throw new ParameterException(spec.commandLine(), "--tool must be claude or codex, not '" + Format.clip(tool, 20) + "'");
        }
        var env = api.env();
        var body = new LinkedHashMap<String, Object>();
        body.put("tool", tool);
        if (persona != null) body.put("persona", persona);
        body.put("cwd", cwd == null ? env.workDir().toString() : env.resolve(cwd).toString());
        if (task != null) body.put("task", task);
        var json = api.client().post("/sessions/spawn", body);
        if (api.json()) {
            api.out().println(json.strip());
        } else {
            var reply = MiniJson.parseObject(json);
            var id = Format.clean(MiniJson.text(reply, "id"));
            api.out().println("spawned " + id + ForkCommand.tmux(MiniJson.text(reply, "tmux_target")));
            api.out().println("attach: wtctl attach " + id);
        }
        api.out().flush();
        return CtlError.OK;
    }
}
