package watchtower.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;

/**
 * How a command hook starts WtHook: {@code java -cp <jar> WtHook ARGS} with absolute paths,
 * never {@code jbang wthook} (about 1.3 s a call against about 0.2 s, JBANG.md §5). The server
 * URL, and the data folder when it is not the default, are set on the command line, so the hook
 * reaches the server it was installed for whatever the agent's environment says. The token is
 * not: WtHook reads it from {@code <data folder>/token} at each run.
 *
 * @param java      an absolute path to the java launcher
 * @param classpath absolute entries joined with ':' (what {@code jbang info classpath} prints)
 * @param uvsHome   the data folder holding {@code token} and {@code spool/}, when not ~/.uvs
 */
public record WtHookCommand(Path java, String classpath, Optional<Path> uvsHome) {
    public static final String MAIN_CLASS = "WtHook";

    public WtHookCommand {
        if (!java.isAbsolute()) throw new InstallException("the java launcher must be an absolute path, not " + java);
        if (classpath.isBlank()) throw new InstallException("the WtHook classpath is empty");
        for (var entry : classpath.split(":")) {
            if (entry.isEmpty() || !Path.of(entry).isAbsolute()) {
                throw new InstallException("the WtHook classpath must hold absolute paths only, not '" + entry + "'");
            }
        }
        uvsHome.ifPresent(h -> {
            if (!h.isAbsolute()) throw new InstallException("the data folder must be an absolute path, not " + h);
        });
    }

    /** The java running this installer (an absolute path by construction). */
    public static WtHookCommand of(String classpath, Optional<Path> uvsHome) {
        return new WtHookCommand(Path.of(System.getProperty("java.home"), "bin", "java"), classpath, uvsHome);
    }

    /** The shell command line for {@code WtHook args...}, sent to {@code serverUrl}. */
    public String render(String serverUrl, String... args) {
        var words = new ArrayList<String>();
        words.add("UVS_WATCHTOWER_URL=" + Shell.quote(serverUrl));
        uvsHome.ifPresent(h -> words.add("UVS_HOME=" + Shell.quote(h.toString())));
        words.add(Shell.quote(java.toString()));
        words.add("-cp");
        words.add(Shell.quote(classpath));
        words.add(MAIN_CLASS);
        for (var a : args) words.add(Shell.quote(a));
        return String.join(" ", words);
    }
}
