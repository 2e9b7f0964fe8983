package watchtower.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import watchtower.install.HooksInstaller;
import watchtower.install.InstallException;

/**
 * `wtctl launch`: what the reference launcher (uv.sh) did, as one command. It makes a session id,
 * writes the launcher's metadata ({@code <cwd>/.uv-suite-state/sessions/<id>.json}) and
 * {@code current-session.txt}, writes the persona's settings pointed at this server, starts
 * Claude Code in tmux ({@code uvs_<id>} on the uvs socket) from an argument list, registers the
 * session, then attaches this terminal unless --detach. The install token reaches the agent's
 * hooks through the environment, never through a command line other users could read.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        header = "Start Claude Code with a persona in Watchtower's tmux, and attach to it.",
        description = {"Runs claude --settings <persona> [CLAUDE_ARGS...] in tmux session uvs_<id>",
                "(socket uvs, or $WATCHTOWER_TMUX_SOCKET), registers it, then attaches.",
                "The persona's settings, pointed at this server, go to",
                "<cwd>/.claude/personas/<persona>.json; one already there with Watchtower's",
                "hooks is kept and only re-pointed, one without them is left alone (ours go",
                "to ~/.uvs/personas/ then). New ones come from $WATCHTOWER_PERSONAS (the",
                "repository's personas/ folder), else from the copy bundled with wtctl.",
                "The program is $WATCHTOWER_CLAUDE_BIN, else claude on PATH."},
        footer = {"", "Examples:", "  wtctl launch", "  wtctl launch --persona spike --name parser-spike",
                "  wtctl launch --detach --cwd ~/src/api -- --model sonnet"})
final class LaunchCommand implements Callable<Integer> {
    private static final Set<String> PERSONAS = Set.of("auto", "professional", "spike", "sport");
    private static final Pattern SOCKET = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long TMUX_TIMEOUT_SECONDS = 10;

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Option(names = "--persona", paramLabel = "P", defaultValue = "professional",
            description = "auto, professional (or pro), spike or sport (default: ${DEFAULT-VALUE})")
    String persona;

    @Option(names = "--name", paramLabel = "N", description = "A name for the session, shown on the dashboard")
    String name;

    @Option(names = "--cwd", paramLabel = "DIR", description = "The project folder (default: this one)")
    String cwd;

    @Option(names = "--detach", description = "Start it and return, without attaching this terminal")
    boolean detach;

    @Parameters(paramLabel = "CLAUDE_ARGS", arity = "0..*",
            description = "Passed to claude as they are; put them after --")
    List<String> claudeArgs = new ArrayList<>();

    /** What was started: printed, and with --json as the JSON. */
    private record Launched(String id, String target, String persona, Path cwd, Path settings, boolean registered) {}

    @Override
    public Integer call() {
        var env = api.env();
        var chosen = personaName();
        var dir = projectDir(env);
        var program = program(env);
        var tmux = env.which("tmux").orElseThrow(() -> CtlError.failed("tmux is not installed",
                "install it (apt install tmux, brew install tmux); Watchtower runs the agents it launches in tmux"));
        var socket = env.var("WATCHTOWER_TMUX_SOCKET").orElse("uvs");
        if (!SOCKET.matcher(socket).matches()) {
            throw CtlError.failed("WATCHTOWER_TMUX_SOCKET must be 1-64 letters, digits, '_' or '-'", null);
        }
        var url = api.baseUrl();
        var client = api.client();
        var settingsFile = personaFile(env, chosen, dir);
        var settingsText = personaText(env, chosen, settingsFile, url);
        // everything that can be refused has been: from here on, files are written and the agent started
        var id = UUID.randomUUID().toString();
        var target = "uvs_" + id;
        try {
            writeMetadata(dir, id, chosen);
            writeAtomically(settingsFile, settingsText);
        } catch (IOException e) {
            throw CtlError.failed("cannot write the session's files in " + dir + ": " + e.getMessage(), null);
        }
        var argv = new ArrayList<String>();
        argv.add(program.toString());
        argv.add("--settings");
        argv.add(settingsFile.toString());
        argv.addAll(claudeArgs);
        startInTmux(env, tmux, socket, target, dir, id, url, client.token(), argv);
        var pid = panePid(env, tmux, socket, target);
        boolean registered = register(client, id, chosen, dir, target, pid);
        var launched = new Launched(id, target, chosen, dir, settingsFile, registered);
        report(launched);
        if (detach) return CtlError.OK;
        if (env.var("TMUX").isPresent()) {
            // attaching from inside tmux would nest it (tmux refuses): say how instead
            api.err().println("wtctl: inside tmux already; attach from another terminal with: wtctl attach " + id);
            api.err().flush();
            return CtlError.OK;
        }
        return Programs.inTerminal(List.of(tmux.toString(), "-L", socket, "attach", "-t", "=" + target));
    }

    // --- checks ---

    private String personaName() {
        var p = persona.trim().toLowerCase(Locale.ROOT);
        if (p.equals("pro")) p = "professional"; // the reference launcher's short name
        if (!PERSONAS.contains(p)) {
            throw new ParameterException(spec.commandLine(), "unknown persona '" + Format.clip(persona, 30)
                    + "': use auto, professional, spike or sport");
        }
        return p;
    }

    private Path projectDir(CtlEnv env) {
        var raw = cwd == null ? env.workDir() : env.resolve(cwd);
        try {
            if (Files.isDirectory(raw)) return raw.toRealPath();
        } catch (IOException e) {
            // reported below, as a folder that is not there
        }
        throw new ParameterException(spec.commandLine(), "--cwd: no such folder: " + Format.clip(raw.toString(), 120));
    }

    /** WATCHTOWER_CLAUDE_BIN (as the server reads it), else claude on PATH. */
    private static Path program(CtlEnv env) {
        var override = env.var("WATCHTOWER_CLAUDE_BIN");
        if (override.isPresent()) {
            var p = env.resolve(override.get());
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
            throw CtlError.failed("WATCHTOWER_CLAUDE_BIN is not an executable file: " + Format.clip(override.get(), 120), null);
        }
        return env.which("claude").orElseThrow(() -> CtlError.failed("claude (Claude Code) is not on PATH",
                "install it (npm install -g @anthropic-ai/claude-code) or set WATCHTOWER_CLAUDE_BIN to its path"));
    }

    // --- the persona ---

    /**
     * {@code <cwd>/.claude/personas/<p>.json}, as the reference launcher and the server's fork use
     * it; but a file there without Watchtower's hooks (the reference's own persona, say) is the
     * person's, so ours goes to {@code <uvs home>/personas/} instead.
     */
    private static Path personaFile(CtlEnv env, String persona, Path dir) {
        var inProject = dir.resolve(".claude").resolve("personas").resolve(persona + ".json");
        if (!Files.exists(inProject) || HooksInstaller.status(inProject).installed()) return inProject;
        return env.uvsHome().resolve("personas").resolve(persona + ".json");
    }

    /** The persona's settings with their hooks pointed at {@code url}. */
    private static String personaText(CtlEnv env, String persona, Path target, String url) {
        var file = persona + ".json";
        try {
            if (Files.isRegularFile(target) && HooksInstaller.status(target).installed()) {
                // an earlier launch's copy, perhaps with the person's own changes: only pointed at this server again
                return HooksInstaller.personaFor(target, url);
            }
            var folder = env.var("WATCHTOWER_PERSONAS");
            if (folder.isPresent()) {
                var source = env.resolve(folder.get()).resolve(file);
                if (!Files.isRegularFile(source)) {
                    throw CtlError.failed("WATCHTOWER_PERSONAS has no " + file + " (" + source + ")",
                            "point it at the personas/ folder of the Watchtower repository");
                }
                return HooksInstaller.personaFor(source, url);
            }
            var bundled = bundled(file, url);
            if (bundled.isPresent()) return bundled.get();
        } catch (InstallException e) {
            throw CtlError.failed(e.getMessage(), null);
        }
        throw CtlError.failed("no Watchtower persona " + file + " found",
                "set WATCHTOWER_PERSONAS to the personas/ folder of the Watchtower repository");
    }

    /** The persona packed into wtctl's jar (a //FILES line), if it was. */
    private static Optional<String> bundled(String file, String url) {
        try (InputStream in = LaunchCommand.class.getResourceAsStream("/personas/" + file)) {
            if (in == null) return Optional.empty();
            var copy = Files.createTempFile("wtctl-persona", ".json");
            try {
                Files.write(copy, in.readAllBytes());
                return Optional.of(HooksInstaller.personaFor(copy, url));
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // --- files, tmux, the server ---

    /** The reference launcher's metadata, which the hooks (and the server) read to label the session. */
    private void writeMetadata(Path dir, String id, String chosen) throws IOException {
        var state = dir.resolve(".uv-suite-state");
        var meta = new LinkedHashMap<String, Object>();
        meta.put("uvs_session_id", id);
        if (name != null && !name.isBlank()) meta.put("name", name);
        meta.put("persona", chosen);
        meta.put("cwd", dir.toString());
        meta.put("agent", "claude");
        meta.put("started_at", Instant.now().getEpochSecond());
        writeAtomically(state.resolve("sessions").resolve(id + ".json"), MiniJson.write(meta) + "\n");
        writeAtomically(state.resolve("current-session.txt"), id + "\n");
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        var tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * {@code tmux new-session} with the agent's argument list. tmux reads an argument ending in
     * ';' as the end of a command (even after "--"), so such an argument is escaped as tmux wants.
     * The token goes into the tmux client's environment and, through update-environment, into the
     * new session's: never onto a command line.
     */
    private void startInTmux(CtlEnv env, Path tmux, String socket, String target, Path dir, String id, String url,
                             Optional<String> token, List<String> argv) {
        var cmd = new ArrayList<>(List.of(tmux.toString(), "-L", socket, "start-server", ";",
                "set-option", "-g", "update-environment[90]", "UVS_TOKEN", ";",
                "new-session", "-d", "-s", target, "-x", "200", "-y", "50", "-c", escaped(dir.toString()),
                "-e", escaped("UVS_SESSION_ID=" + id), "-e", "UVS_IN_TMUX=1", "-e", escaped("UVS_WATCHTOWER_URL=" + url),
                "--"));
        // never a lone argument after "--": tmux would hand that to a shell (argv always has --settings FILE)
        for (var a : argv) cmd.add(escaped(a));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env.vars());
        pb.environment().remove("UVS_TOKEN");
        token.ifPresent(t -> pb.environment().put("UVS_TOKEN", t));
        var r = run(pb);
        if (r.exit() != 0) {
            throw CtlError.failed("tmux could not start the session: " + Format.clip(r.output().strip(), 300), null);
        }
    }

    /** An argument tmux passes on unchanged: a trailing ';' would otherwise end the command. */
    static String escaped(String arg) {
        return arg.endsWith(";") ? arg.substring(0, arg.length() - 1) + "\\;" : arg;
    }

    /** The agent's pid, so the server can verify and signal it; empty when tmux does not say. */
    private static Optional<Long> panePid(CtlEnv env, Path tmux, String socket, String target) {
        var pb = new ProcessBuilder(tmux.toString(), "-L", socket, "display-message", "-p", "-t", "=" + target + ":",
                "#{pane_pid}").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env.vars());
        var r = run(pb);
        try {
            return r.exit() == 0 ? Optional.of(Long.parseLong(r.output().strip())) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean register(ApiClient client, String id, String chosen, Path dir, String target, Optional<Long> pid) {
        var body = new LinkedHashMap<String, Object>();
        body.put("id", id);
        if (name != null && !name.isBlank()) body.put("name", name);
        body.put("persona", chosen);
        body.put("cwd", dir.toString());
        body.put("tmux_target", target);
        pid.ifPresent(p -> body.put("pid", p));
        try {
            client.post("/sessions/register", body);
            return true;
        } catch (CtlError e) {
            // as the reference launcher: the session runs anyway, and its hooks will announce it
            api.err().println("wtctl: warning: the session was not registered: " + e.getMessage());
            if (e.hint() != null) api.err().println("hint: " + e.hint());
            api.err().flush();
            return false;
        }
    }

    private void report(Launched l) {
        if (api.json()) {
            var out = new LinkedHashMap<String, Object>();
            out.put("id", l.id());
            out.put("tmux_target", l.target());
            out.put("persona", l.persona());
            out.put("cwd", l.cwd().toString());
            out.put("settings", l.settings().toString());
            out.put("registered", l.registered());
            api.out().println(MiniJson.write(out));
        } else {
            api.out().println("launched " + l.id() + " (tmux " + l.target() + "), persona " + l.persona() + ", in "
                    + Format.clean(l.cwd().toString()));
            api.out().println("settings: " + Format.clean(l.settings().toString()));
            if (detach) api.out().println("attach: wtctl attach " + l.id());
        }
        api.out().flush();
    }

    private record Run(int exit, String output) {}

    private static Run run(ProcessBuilder pb) {
        try {
            var p = pb.start();
            p.getOutputStream().close();
            // tmux prints a line at most; reading to the end before waiting cannot fill a pipe
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TMUX_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out");
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            return new Run(-1, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "interrupted");
        }
    }
}
