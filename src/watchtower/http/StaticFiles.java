package watchtower.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Serves the dashboard: {@code /} is the index page and {@code /static/*} the files of the
 * static folder, read from the jar (JBang's //FILES) or, for development, from a folder.
 * Supports only GET and HEAD. Paths are a closed alphabet without "..", so they cannot escape
 * the root, and in a folder symlinks are not followed out of it.
 */
public final class StaticFiles implements Handler {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json"), Map.entry("woff2", "font/woff2"));

    private final Path folder; // null: read from the classpath under static/
    private final String indexFile;

    private StaticFiles(Path folder, String indexFile) {
        this.folder = folder;
        this.indexFile = indexFile;
    }

    /** Files from a folder (development: edit and reload), else from the jar. */
    public static StaticFiles of(Optional<Path> folder) throws IOException {
        var files = new StaticFiles(folder.map(f -> f.toAbsolutePath().normalize()).orElse(null), "index.html");
        return files.load("index.html").isPresent() ? files : new StaticFiles(files.folder, "reference/dashboard.html");
    }

    @Override
    public void handle(Request req, Response res) throws IOException {
        var path = req.path();
        String relative;
        if ((path.equals("/") || path.equals("/index.html")) && indexFile.startsWith("reference/")) {
            // the vendored reference page needs its own CSP (inline scripts), which is keyed on its path
            res.header("Location", "/static/" + indexFile);
            res.bytes(302, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        if (path.equals("/") || path.equals("/index.html")) relative = indexFile;
        else if (path.startsWith("/static/")) relative = path.substring("/static/".length());
        else throw ApiError.notFound("not found");
        var bytes = load(relative).orElseThrow(() -> ApiError.notFound("not found"));
        var ext = relative.contains(".") ? relative.substring(relative.lastIndexOf('.') + 1) : "";
        res.header("Cache-Control", "no-cache");
        res.bytes(200, TYPES.getOrDefault(ext, "application/octet-stream"), bytes);
    }

    Optional<byte[]> load(String relative) throws IOException {
        if (!SAFE.matcher(relative).matches() || relative.contains("..")) return Optional.empty(); // cannot escape root
        if (folder == null) {
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("static/" + relative)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            }
        }
        var file = folder.resolve(relative).normalize();
        if (!file.startsWith(folder) || !Files.isRegularFile(file)) return Optional.empty();
        if (!file.toRealPath().startsWith(folder.toRealPath())) return Optional.empty(); // no symlinks out
        return Optional.of(Files.readAllBytes(file));
    }

    public String indexFile() {
        return indexFile;
    }
}
