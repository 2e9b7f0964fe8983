package watchtower.ctl;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks behind `wtctl doctor`, each explaining what it found and how to fix it: Java,
 * jbang, the uvs catalog, tmux, Claude Code, the server, the hooks, the token file and the
 * database folder. It only reads (files, --version output, GET /health); it changes nothing.
 */
final class Doctor {
    private static final Pattern HOOK_URL = Pattern.compile("https?://[^\"'\\s]+?/hooks/claude");
    // installed command hooks carry their server on the command line (UVS_WATCHTOWER_URL='http://...')
    private static final Pattern WTHOOK_URL = Pattern.compile("UVS_WATCHTOWER_URL=\\\\?[\"']?(https?://[^'\"\\s\\\\]+)");
    static final String WTHOOK_DEFAULT_URL = "http://localhost:4200";

    private final CtlEnv env;
    private final ApiClient client;

    Doctor(CtlEnv env, ApiClient client) {
        this.env = env;
        this.client = client;
    }

    List<Check> run() {
        return List.of(java(), jbang(), catalog(), tmux(), claude(), server(), hooks(), token(), database());
    }

    Check java() {
        return Check.ok("Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
    }

    Check jbang() {
        var onPath = env.which("jbang");
        if (onPath.isPresent()) return Check.ok("jbang on PATH: " + onPath.get());
        var home = env.home().resolve(".jbang/bin/jbang");
        if (Files.isExecutable(home)) {
            return Check.warn("jbang is at " + home + " but not on PATH", "add ~/.jbang/bin to PATH");
        }
        var repo = repository().map(r -> r.resolve("jbang")).filter(Files::isExecutable);
        if (repo.isPresent()) {
            return Check.warn("only the repository's " + repo.get() + " was found",
                    "put it on PATH (e.g. ln -s " + repo.get() + " ~/.local/bin/jbang) so `jbang wtctl@uvs` works anywhere");
        }
        return Check.fail("jbang not found", "install JBang (https://www.jbang.dev), or run ./jbang in the Watchtower repository");
    }

    Check catalog() {
        var file = env.home().resolve(".jbang/jbang-catalog.json");
        var register = "jbang catalog add -g --name uvs "
                + repository().map(r -> r.resolve("jbang-catalog.json").toString()).orElse("<repo>/jbang-catalog.json");
        if (!Files.isRegularFile(file)) return Check.warn("no catalog registered as uvs (" + file + " is missing)", register);
        try {
            var catalogs = MiniJson.object(MiniJson.parseObject(Files.readString(file, StandardCharsets.UTF_8)), "catalogs");
            var uvs = MiniJson.object(catalogs, "uvs");
            if (uvs.isEmpty()) return Check.warn("no catalog registered as uvs in " + file, register);
            var ref = MiniJson.text(uvs, "catalog-ref");
            if (ref != null && !ref.contains("://") && !Files.isRegularFile(file.getParent().resolve(ref))) {
                return Check.fail("catalog uvs points at " + ref + ", which does not exist", register);
            }
            return Check.ok("catalog uvs: " + (ref == null ? "registered" : ref));
        } catch (IOException | MiniJson.Malformed e) {
            return Check.fail("cannot read " + file + " (" + e.getMessage() + ")", "fix or delete the file, then: " + register);
        }
    }

    Check tmux() {
        var tmux = env.which("tmux");
        if (tmux.isEmpty()) {
            return Check.warn("tmux not found", "install tmux (apt install tmux, brew install tmux): spawn, fork, attach, "
                    + "compact and input need it");
        }
        return Programs.firstLine(tmux.get(), List.of("-V"), 5)
                .map(v -> Check.ok(v + " (" + tmux.get() + ")"))
                .orElse(Check.warn(tmux.get() + " -V failed", "reinstall tmux"));
    }

    Check claude() {
        var claude = env.which("claude");
        if (claude.isEmpty()) return Check.warn("Claude Code (claude) not found", "npm install -g @anthropic-ai/claude-code");
        return Programs.firstLine(claude.get(), List.of("--version"), 15)
                .map(v -> Check.ok("Claude Code " + v + " (" + claude.get() + ")"))
                .orElse(Check.warn(claude.get() + " --version failed", "reinstall: npm install -g @anthropic-ai/claude-code"));
    }

    Check server() {
        try {
            var health = MiniJson.parseObject(client.get("/health"));
            var version = MiniJson.text(health, "version");
            return Check.ok("server at " + client.base() + (version == null ? "" : " (Watchtower " + Format.clean(version) + ")"));
        } catch (CtlError e) {
            if (e.exitCode() == CtlError.UNREACHABLE) return Check.fail("no server at " + client.base(), ApiClient.START_HINT);
            return Check.fail("server at " + client.base() + " answered: " + e.getMessage(), "is --url pointing at Watchtower?");
        } catch (MiniJson.Malformed e) {
            return Check.fail(client.base() + " does not answer like Watchtower", "is --url pointing at Watchtower?");
        }
    }

    Check hooks() {
        var files = settingsFiles();
        var found = new ArrayList<String>();
        var foreign = new LinkedHashSet<String>();
        boolean wthook = false;
        for (var f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue;
            }
            var m = HOOK_URL.matcher(text);
            boolean http = false;
            while (m.find()) {
                http = true;
                var base = m.group().substring(0, m.group().length() - "/hooks/claude".length());
                if (!sameServer(base, client.base())) foreign.add(base);
            }
            boolean usesWthook = text.contains("wthook") || text.contains("WtHook");
            if (usesWthook) {
                var w = WTHOOK_URL.matcher(text);
                boolean named = false;
                while (w.find()) {
                    named = true;
                    if (!sameServer(w.group(1), client.base())) foreign.add(w.group(1));
                }
                wthook |= !named; // without a URL of its own, the hook uses the agent's environment
            }
            if (http || usesWthook) found.add(f + (http ? " (http hooks)" : " (wthook)"));
        }
        if (found.isEmpty()) {
            return Check.warn("no Watchtower hooks in ~/.claude/settings.json or ./.claude/settings*.json",
                    "start agents with a Watchtower persona (personas/*.json), or add its hooks to your settings");
        }
        if (!foreign.isEmpty()) {
            return Check.warn("hooks in " + String.join(", ", found) + " post to " + String.join(", ", foreign)
                    + ", not to " + client.base(), "point the hook URLs at " + client.base() + ", or use --url");
        }
        if (wthook && !sameServer(env.var("UVS_WATCHTOWER_URL").orElse(WTHOOK_DEFAULT_URL), client.base())) {
            return Check.warn("hooks in " + String.join(", ", found) + "; wthook posts to $UVS_WATCHTOWER_URL (default "
                    + WTHOOK_DEFAULT_URL + "), not " + client.base(), "set UVS_WATCHTOWER_URL=" + client.base()
                    + " where the agents run");
        }
        return Check.ok("hooks in " + String.join(", ", found));
    }

    Check token() {
        var file = env.tokenFile();
        try {
            if (TokenFile.read(file).isEmpty()) {
                return Check.warn("no install token at " + file, "it is created when the server first starts; "
                        + "set UVS_HOME if yours lives elsewhere");
            }
            return Check.ok("install token " + file + " (mode 600)");
        } catch (CtlError e) {
            return Check.fail(e.getMessage(), e.hint());
        }
    }

    Check database() {
        var db = env.database();
        if (Files.exists(db)) {
            return Files.isWritable(db) && Files.isWritable(db.getParent())
                    ? Check.ok("database " + db)
                    : Check.fail("database " + db + " is not writable", "check the owner and mode of the file and its folder");
        }
        var dir = db.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) dir = dir.getParent();
        if (dir != null && Files.isDirectory(dir) && Files.isWritable(dir)) {
            return Check.ok("database " + db + " (created on first start)");
        }
        return Check.fail("cannot create the database " + db + " (" + dir + " is not writable)",
                "set WATCHTOWER_DB to a writable place, or fix the folder's owner and mode");
    }

    private List<Path> settingsFiles() {
        var files = new ArrayList<Path>();
        files.add(env.home().resolve(".claude/settings.json"));
        var project = env.workDir().resolve(".claude");
        if (Files.isDirectory(project)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(project, "settings*.json")) {
                dir.forEach(files::add);
            } catch (IOException e) {
                // unreadable folder: treated as holding no hooks
            }
        }
        return files.stream().filter(Files::isRegularFile).sorted().toList();
    }

    /** The Watchtower checkout around the working folder (it has Watchtower.java and jbang-catalog.json). */
    private Optional<Path> repository() {
        for (var dir = env.workDir(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("jbang-catalog.json")) && Files.isRegularFile(dir.resolve("WtCtl.java"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The same server, counting localhost, 127.0.0.1 and [::1] as one host and a missing port as the default. */
    static boolean sameServer(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String url) {
        try {
            var u = URI.create(url.trim().replaceAll("/+$", ""));
            var host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            if (host.equals("localhost") || host.equals("[::1]") || host.equals("::1")) host = "127.0.0.1";
            int port = u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            return u.getScheme() + "://" + host + ":" + port + (u.getPath() == null ? "" : u.getPath());
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
