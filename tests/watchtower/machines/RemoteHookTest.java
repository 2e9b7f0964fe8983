package watchtower.machines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team mode end to end with the real wthook: a server bound to 0.0.0.0 reached through this
 * machine's own non-loopback address, a machine token in the hook's token file; the server
 * stops (the hook spools and exits 0 at once), starts again on the same port, and `wthook
 * flush` delivers every spooled event exactly once, stamped with the machine.
 */
class RemoteHookTest {
    @TempDir
    Path dir;

    @Test
    void hookOnAMachineSpoolsWhileTheServerIsDownAndFlushDeliversEachEventOnce() throws Exception {
        var address = nonLoopbackAddress();
        Assumptions.assumeTrue(address.isPresent(), "this machine has no non-loopback address to reach the server by");
        try (var team = TeamServer.start(dir)) {
            int port = team.port();
            var remoteHome = machineHome(team.enroll("laptop"));
            var env = hookEnv(remoteHome, "http://" + hostLiteral(address.get()) + ":" + port);

            var first = wthook(env, payload("PreToolUse"), "send", "SessionStart");
            assertEquals(0, first.exit(), first.toString());
            assertEquals(List.of(), spool(remoteHome), "delivered at once while the server is up");
            assertEquals("laptop", team.text("SELECT machine FROM sessions WHERE id = ?", "remote-1"));

            team.stop();
            for (var type : List.of("PreToolUse", "PostToolUse", "Stop")) {
                var run = wthook(env, payload(type), "send", type);
                assertEquals(0, run.exit(), run.toString());
                assertTrue(run.out().isEmpty() && run.err().isEmpty(), "silent: " + run);
                assertTrue(run.millis() < 5_000, "a down server costs the agent no wait: " + run.millis() + " ms");
            }
            assertEquals(3, spool(remoteHome).size(), "three events kept for later");

            team.startOn(port);
            var flush = wthook(env, null, "flush");
            assertEquals(0, flush.exit(), flush.toString());
            assertEquals(List.of(), spool(remoteHome), "the spool is empty once delivered");
            var again = wthook(env, null, "flush");
            assertEquals(0, again.exit(), again.toString());

            assertEquals(List.of("SessionStart", "PreToolUse", "PostToolUse", "Stop"), eventTypes(team, "remote-1"),
                    "every event once, in order");
            assertEquals(4, team.count("SELECT count(DISTINCT event_uid) FROM events WHERE session_id = ?", "remote-1"));
            assertEquals("laptop", team.text("SELECT machine FROM sessions WHERE id = ?", "remote-1"));
            assertEquals(1, team.count("SELECT count(*) FROM machines WHERE last_seen_at IS NOT NULL"));
        }
    }

    @Test
    void aRevokedMachinesHookIsRefusedAndNothingIsStored() throws Exception {
        var address = nonLoopbackAddress();
        Assumptions.assumeTrue(address.isPresent(), "this machine has no non-loopback address to reach the server by");
        try (var team = TeamServer.start(dir)) {
            var remoteHome = machineHome(team.enroll("laptop"));
            assertEquals(200, team.admin().delete("/machines/laptop").status());
            var env = hookEnv(remoteHome, "http://" + hostLiteral(address.get()) + ":" + team.port());
            var run = wthook(env, payload("PreToolUse"), "send", "PreToolUse");
            assertEquals(0, run.exit(), "the hook never fails the agent: " + run);
            assertEquals(0, team.count("SELECT count(*) FROM events"));
            assertTrue(Files.readString(remoteHome.resolve("wthook.log"), UTF_8).contains("401"),
                    "the hook's log says why");
        }
    }

    @Test
    void theMachineTokenMayComeFromUvsTokenInsteadOfTheFile() throws Exception {
        var address = nonLoopbackAddress();
        Assumptions.assumeTrue(address.isPresent(), "this machine has no non-loopback address to reach the server by");
        try (var team = TeamServer.start(dir)) {
            var remoteHome = Files.createDirectories(dir.resolve("remote-uvs")); // no token file there
            var env = hookEnv(remoteHome, "http://" + hostLiteral(address.get()) + ":" + team.port());
            env.put("UVS_TOKEN", team.enroll("laptop"));
            var run = wthook(env, payload("PreToolUse"), "send", "PreToolUse");
            assertEquals(0, run.exit(), run.toString());
            assertEquals(List.of("PreToolUse"), eventTypes(team, "remote-1"));
            assertEquals("laptop", team.text("SELECT machine FROM sessions WHERE id = ?", "remote-1"));
        }
    }

    // --- infra ---

    /** An address of this machine other than loopback: what another machine would connect to. */
    static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        var found = new ArrayList<InetAddress>();
        for (var nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (var a : nic.inetAddresses().toList()) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()) found.add(a);
            }
        }
        return found.stream().min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
    }

    private static String hostLiteral(InetAddress a) {
        var host = a.getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) host = host.substring(0, zone);
        return a instanceof Inet4Address ? host : "[" + host + "]";
    }

    /** The other machine's UVS_HOME: its token file holds the machine token (owner-only, as wthook requires). */
    private Path machineHome(String token) throws Exception {
        var home = Files.createDirectories(dir.resolve("remote-uvs"));
        var file = home.resolve("token");
        Files.writeString(file, token + "\n", UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return home;
    }

    private Map<String, String> hookEnv(Path uvsHome, String url) throws Exception {
        var project = Files.createDirectories(dir.resolve("project"));
        var env = new HashMap<String, String>();
        env.put("UVS_WATCHTOWER_URL", url);
        env.put("UVS_HOME", uvsHome.toString());
        env.put("UVS_SESSION_ID", "remote-1");
        env.put("CLAUDE_PROJECT_DIR", project.toString());
        env.put("HOME", dir.toString());
        return env;
    }

    private Path payload(String event) throws Exception {
        var file = dir.resolve("payload-" + event + ".json");
        Files.writeString(file, """
                {"session_id":"claude-remote-1","hook_event_name":"%s","cwd":"/src/remote",
                 "tool_name":"Bash","tool_input":{"command":"make test"}}""".formatted(event), UTF_8);
        return file;
    }

    record Run(int exit, String out, String err, long millis) {}

    /** Runs {@code java -cp <ours> WtHook args...} as a separate process, with only {@code env} set for it. */
    private Run wthook(Map<String, String> env, Path stdin, String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "WtHook"));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("UVS_") || k.startsWith("CLAUDE")
                || k.startsWith("WTHOOK_") || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        var out = dir.resolve("out-" + System.nanoTime());
        var err = dir.resolve("err-" + System.nanoTime());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile())
                : ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        long t0 = System.nanoTime();
        var p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("wthook did not exit within 30 s");
        }
        return new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static List<String> spool(Path uvsHome) throws Exception {
        var file = uvsHome.resolve("spool/spool.jsonl");
        return Files.exists(file) ? Files.readAllLines(file, UTF_8) : List.of();
    }

    private static List<String> eventTypes(TeamServer team, String sessionId) throws Exception {
        try (var c = team.server().jdbc();
             var ps = c.prepareStatement("SELECT event_type FROM events WHERE session_id = ? ORDER BY id")) {
            ps.setString(1, sessionId);
            try (var rs = ps.executeQuery()) {
                var out = new ArrayList<String>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }
}
