package watchtower.ctl;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What wtctl takes from the machine it runs on, read once in {@link #system()}: environment
 * variables, the home and working folders, whether a person is at a terminal, and stdin.
 * Commands read only this, so tests run them against a temp folder without touching the real
 * environment.
 *
 * @param interactive a person is at a terminal (System.console() != null): prompts and colour
 */
public record CtlEnv(Map<String, String> vars, Path home, Path workDir, boolean interactive, InputStream stdin) {
    public static final String DEFAULT_URL = "http://127.0.0.1:4200";

    public CtlEnv {
        vars = Map.copyOf(vars);
    }

    public static CtlEnv system() {
        var vars = System.getenv();
        var home = Optional.ofNullable(vars.get("HOME")).filter(h -> !h.isEmpty())
                .orElse(System.getProperty("user.home"));
        return new CtlEnv(vars, Path.of(home), Path.of("").toAbsolutePath(), System.console() != null, System.in);
    }

    /** A variable's value; an empty value counts as unset, as in the hooks' ${VAR:-default}. */
    public Optional<String> var(String name) {
        return Optional.ofNullable(vars.get(name)).filter(v -> !v.isEmpty());
    }

    public String defaultUrl() {
        return var("UVS_WATCHTOWER_URL").orElse(DEFAULT_URL);
    }

    public Path uvsHome() {
        return var("UVS_HOME").map(this::resolve).orElse(home.resolve(".uvs"));
    }

    public Path tokenFile() {
        return uvsHome().resolve("token");
    }

    public Path database() {
        return var("WATCHTOWER_DB").map(this::resolve).orElse(home.resolve(".uvs").resolve("watchtower.db"));
    }

    /** Colour only for a person at a terminal who has not asked for none (https://no-color.org). */
    public boolean color() {
        return interactive && var("NO_COLOR").isEmpty();
    }

    /** The executable {@code program} on this environment's PATH, as a shell would find it. */
    public Optional<Path> which(String program) {
        for (var dir : var("PATH").orElse("").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            var candidate = Path.of(dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** A path from the user, relative to the working folder, with a leading ~ meaning home. */
    public Path resolve(String path) {
        return workDir.resolve(expandHome(path)).normalize();
    }

    private Path expandHome(String path) {
        if (path.equals("~")) return home;
        if (path.startsWith("~/")) return home.resolve(path.substring(2));
        return Path.of(path);
    }
}
