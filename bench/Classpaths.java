import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds an entry script with the tree's ./jbang and returns its classpath, so servers and hooks
 * start as plain {@code java -cp} processes (no JBang wrapper in the measurement, and a pid that
 * is the JVM's own). The tree may change while we build (others edit it), which changes JBang's
 * cache key; so the jar is checked to exist and the build retried, then the jar is copied aside
 * and the copy used for the whole run.
 */
final class Classpaths {
    private Classpaths() {}

    static String of(Tree tree, String script, Path copyDir) throws IOException, InterruptedException {
        for (int attempt = 1; attempt <= 3; attempt++) {
            jbang(tree, List.of("build", script));
            var lines = jbang(tree, List.of("info", "classpath", script));
            var classpath = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
            var entries = classpath.split(":");
            var jar = Path.of(entries[0]);
            if (entries[0].endsWith(".jar") && Files.isRegularFile(jar)) {
                Files.createDirectories(copyDir);
                var copy = copyDir.resolve(jar.getFileName());
                Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                entries[0] = copy.toString();
                return String.join(":", entries);
            }
        }
        throw new IOException("./jbang could not build " + script + " (the tree kept changing, or it does not compile:"
                + " run ./jbang build " + script + " to see why)");
    }

    /** Runs ./jbang with arguments; returns its stdout lines; fails with its stderr tail on a non-zero exit. */
    static List<String> jbang(Tree tree, List<String> args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(tree.jbang().toString());
        command.addAll(args);
        var err = Files.createTempFile("bench-jbang", ".err");
        try {
            var p = new ProcessBuilder(command).directory(tree.root().toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("./jbang " + String.join(" ", args) + " took over 300 s");
            }
            if (p.exitValue() != 0) {
                var lines = Files.readAllLines(err);
                throw new IOException("./jbang " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size())));
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
