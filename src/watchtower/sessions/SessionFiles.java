package watchtower.sessions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import watchtower.http.ApiError;
import watchtower.http.Fields;
import watchtower.http.Request;
import watchtower.http.Response;
import watchtower.store.Store;

/**
 * A session's files under {@code <cwd>/uv-out/sessions/<id>/}: artifacts and checkpoints.
 * The cwd came from a client, so every path is checked to stay inside it after resolving
 * symlinks, and symlinks inside are neither listed nor read.
 */
public final class SessionFiles {
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_LISTED = 1000;

    private final Store store;

    public SessionFiles(Store store) {
        this.store = store;
    }

    /** The session's output folder, if it exists and really lies inside the session's cwd. */
    public Optional<Path> sessionDir(String id) {
        var session = store.sessions().find(id).orElseThrow(() -> ApiError.notFound("session not found"));
        return sessionDir(id, (String) session.get("cwd"));
    }

    public static Optional<Path> sessionDir(String id, String cwd) {
        if (cwd == null || cwd.isBlank() || !Fields.isSessionId(id)) return Optional.empty();
        try {
            var root = Path.of(cwd);
            if (!root.isAbsolute() || !Files.isDirectory(root)) return Optional.empty();
            var realRoot = root.toRealPath();
            var dir = realRoot.resolve("uv-out").resolve("sessions").resolve(id);
            if (!Files.isDirectory(dir)) return Optional.empty();
            var realDir = dir.toRealPath();
            // cannot escape the session's cwd, even through a symlinked uv-out/
            return realDir.startsWith(realRoot) ? Optional.of(realDir) : Optional.empty();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    public void artifacts(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        var out = new ArrayList<Map<String, Object>>();
        var dir = sessionDir(id);
        if (dir.isPresent()) {
            var base = dir.get();
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).limit(MAX_LISTED).forEach(p -> {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("path", base.relativize(p).toString());
                    row.put("size", sizeOf(p));
                    out.add(row);
                });
            }
        }
        res.json(200, out);
    }

    public void checkpoints(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        var out = new ArrayList<Map<String, Object>>();
        var dir = sessionDir(id).map(d -> d.resolve("checkpoints"));
        if (dir.isPresent() && Files.isDirectory(dir.get(), LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> list = Files.list(dir.get())) {
                list.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).limit(MAX_LISTED).forEach(p -> {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("name", p.getFileName().toString());
                    row.put("size", sizeOf(p));
                    row.put("modified", modifiedSeconds(p));
                    out.add(row);
                });
            }
        }
        out.sort(Comparator.comparingDouble((Map<String, Object> r) -> (Double) r.get("modified")).reversed());
        res.json(200, out);
    }

    public void checkpoint(Request req, Response res) throws Exception {
        var id = Fields.sessionIdInPath(req.path("id"));
        var name = req.path("name");
        if (!CHECKPOINT_NAME.matcher(name).matches() || name.contains("..")) {
            throw ApiError.badRequest("invalid checkpoint name");
        }
        var dir = sessionDir(id).map(d -> d.resolve("checkpoints"));
        var file = dir.map(d -> d.resolve(name));
        if (file.isEmpty() || !Files.isRegularFile(file.get(), LinkOption.NOFOLLOW_LINKS)) {
            throw ApiError.notFound("checkpoint not found");
        }
        res.text(200, "text/plain; charset=utf-8", Files.readString(file.get(), StandardCharsets.UTF_8));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static double modifiedSeconds(Path p) {
        try {
            var t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
            return t.getEpochSecond() + t.getNano() / 1e9; // full precision, as the reference's getmtime
        } catch (IOException e) {
            return 0;
        }
    }
}
