package watchtower.ctl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import watchtower.install.HookClasspath;
import watchtower.install.HooksInstaller;
import watchtower.install.InstallException;
import watchtower.install.WtHookCommand;

/**
 * `wtctl hooks install|uninstall|status`: thin calls into watchtower.install, which owns the
 * settings-file editing. Method parameters are plain strings and paths, so picocli reading
 * this class does not load the installer (or Jackson) for other commands.
 */
@Command(name = "hooks", mixinStandardHelpOptions = true,
        header = "Install, remove or show Watchtower's Claude Code hooks.",
        description = {"Hooks go into ~/.claude/settings.json (--user, the default) or a project's",
                ".claude/settings.local.json (--project DIR). Your own hooks are kept; a backup is made."},
        footer = {"", "Examples:", "  wtctl hooks status", "  wtctl hooks install",
                "  wtctl hooks install --project . --mode command", "  wtctl hooks uninstall --project ."})
final class HooksCommand {
    @Command(name = "install", mixinStandardHelpOptions = true,
            header = "Add Watchtower's hooks, pointing at this server.",
            description = {"http (default): Claude Code posts each event to <url>/hooks/claude, no process per event.",
                    "command: Claude Code runs WtHook per event (spools while the server is down); needs the",
                    "WtHook classpath, asked of ./jbang in the Watchtower repository unless --classpath is given."},
            footer = {"", "Examples:", "  wtctl hooks install", "  wtctl hooks install --project ~/src/api --mode command"})
    int install(@Mixin ApiOptions api,
                @Option(names = "--project", paramLabel = "DIR", description = "This project only") String project,
                @Option(names = "--mode", paramLabel = "MODE", defaultValue = "http",
                        description = "http or command (default: ${DEFAULT-VALUE})") String mode,
                @Option(names = "--classpath", paramLabel = "CP",
                        description = "WtHook's classpath for command hooks (from `jbang info classpath WtHook.java`)")
                String classpath) {
        var env = api.env();
        var file = settingsFile(env, project);
        try {
            var parsed = HooksInstaller.Mode.parse(mode);
            Optional<WtHookCommand> command = Optional.empty();
            if (parsed == HooksInstaller.Mode.COMMAND) {
                var uvsHome = env.var("UVS_HOME").map(h -> env.uvsHome());
                var cp = classpath != null ? classpath : HookClasspath.forRepo(repository(env)).resolve();
                command = Optional.of(WtHookCommand.of(cp, uvsHome));
            }
            api.out().println(HooksInstaller.install(file, parsed, api.baseUrl(), command).summary());
        } catch (InstallException e) {
            throw CtlError.failed(e.getMessage(), null);
        }
        api.out().flush();
        return CtlError.OK;
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, header = "Remove Watchtower's hooks (and only them).",
            footer = {"", "Example:", "  wtctl hooks uninstall --project ."})
    int uninstall(@Mixin ApiOptions api,
                  @Option(names = "--project", paramLabel = "DIR", description = "This project only") String project) {
        try {
            api.out().println(HooksInstaller.uninstall(settingsFile(api.env(), project)).summary());
        } catch (InstallException e) {
            throw CtlError.failed(e.getMessage(), null);
        }
        api.out().flush();
        return CtlError.OK;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            header = "Show which settings files hold Watchtower's hooks, and where they point.",
            description = "Without --project: your user settings and this folder's project settings.",
            footer = {"", "Example:", "  wtctl hooks status"})
    int status(@Mixin ApiOptions api,
               @Option(names = "--project", paramLabel = "DIR", description = "Only this project") String project) {
        var env = api.env();
        var files = new ArrayList<Path>();
        if (project != null) {
            files.add(settingsFile(env, project));
        } else {
            files.add(HooksInstaller.userSettings(env.home()));
            if (Files.isDirectory(env.workDir().resolve(".claude"))) files.add(HooksInstaller.projectSettings(env.workDir()));
        }
        for (var f : files) api.out().println(HooksInstaller.status(f).summary());
        api.out().flush();
        return CtlError.OK;
    }

    private static Path settingsFile(CtlEnv env, String project) {
        try {
            return project == null ? HooksInstaller.userSettings(env.home()) : HooksInstaller.projectSettings(env.resolve(project));
        } catch (InstallException e) {
            throw CtlError.failed(e.getMessage(), null);
        }
    }

    /** The Watchtower checkout around the working folder, whose ./jbang can build WtHook. */
    private static Path repository(CtlEnv env) {
        for (var dir = env.workDir(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("WtHook.java")) && Files.isExecutable(dir.resolve("jbang"))) return dir;
        }
        throw CtlError.failed("command hooks need WtHook's classpath", "run this in the Watchtower repository, "
                + "or pass --classpath \"$(jbang info classpath WtHook.java)\"");
    }
}
