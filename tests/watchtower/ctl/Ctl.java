package watchtower.ctl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs wtctl in-process the way a shell would, but against a made-up environment: a temp home,
 * UVS_HOME pointing at the test server's data folder (where its token file is), the server's URL,
 * and a PATH holding only the fake programs a test puts there.
 */
final class Ctl {
    private Ctl() {}

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** An environment for a server at {@code url} whose data folder (token) is {@code uvsHome}. */
    static CtlEnv env(Path dir, String url, Path uvsHome) {
        return env(dir, url, uvsHome, Map.of());
    }

    static CtlEnv env(Path dir, String url, Path uvsHome, Map<String, String> extra) {
        var vars = new HashMap<String, String>();
        vars.put("HOME", dir.resolve("home").toString());
        vars.put("PATH", bin(dir).toString());
        vars.put("UVS_HOME", uvsHome.toString());
        if (url != null) vars.put("UVS_WATCHTOWER_URL", url);
        vars.putAll(extra);
        return new CtlEnv(vars, dir.resolve("home"), dir, false, new ByteArrayInputStream(new byte[0]));
    }

    /** The same environment, with a person at a terminal typing {@code stdin}. */
    static CtlEnv interactive(CtlEnv env, String stdin) {
        return new CtlEnv(env.vars(), env.home(), env.workDir(), true,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    static CtlEnv withVars(CtlEnv env, Map<String, String> more) {
        var vars = new HashMap<>(env.vars());
        vars.putAll(more);
        return new CtlEnv(vars, env.home(), env.workDir(), env.interactive(), env.stdin());
    }

    static Result run(CtlEnv env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Root.commandLine(env, args).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs with live views of stdout and stderr, for commands that keep running (tail, events -f). */
    static int run(CtlEnv env, StringWriter out, StringWriter err, String... args) {
        return Root.commandLine(env, args).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    static Path bin(Path dir) {
        return dir.resolve("bin");
    }

    /** A fake program on the test PATH: a shell script. */
    static Path fakeProgram(Path dir, String name, String script) throws IOException {
        Files.createDirectories(bin(dir));
        var file = bin(dir).resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + script + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** A token file holding {@code token}, owner-only, in a new UVS_HOME under {@code dir}. */
    static Path uvsHomeWithToken(Path dir, String token) throws IOException {
        var home = Files.createDirectories(dir.resolve("uvs"));
        var file = home.resolve("token");
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return home;
    }

    /** A loopback port nothing listens on: bound, then released. */
    static int closedPort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
