package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenCommandTest {
    @TempDir
    Path dir;

    @Test
    void printShowsTheDashboardAddressWithTheTokenInTheFragment() throws Exception {
        var env = Ctl.env(dir, "http://127.0.0.1:4300", Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN));
        var r = Ctl.run(env, "open", "--print");
        assertEquals(0, r.code(), r.toString());
        assertEquals("http://127.0.0.1:4300/#token=" + FakeServer.TOKEN + "\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void opensTheAddressWithXdgOpen() throws Exception {
        var seen = dir.resolve("opened");
        Ctl.fakeProgram(dir, "xdg-open", "printf '%s' \"$1\" > '" + seen + "'");
        var env = Ctl.env(dir, "http://127.0.0.1:4300", Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN));
        var r = Ctl.run(env, "open");
        assertEquals(0, r.code(), r.toString());
        assertEquals("http://127.0.0.1:4300/#token=" + FakeServer.TOKEN, Files.readString(seen));
    }

    @Test
    void withoutAnOpenerItSaysToPaste() throws Exception {
        var env = Ctl.env(dir, "http://127.0.0.1:4300", Ctl.uvsHomeWithToken(dir, FakeServer.TOKEN));
        var r = Ctl.run(env, "open");
        assertEquals(0, r.code());
        assertTrue(r.err().contains("paste the address into a browser"), r.err());
    }

    @Test
    void withoutATokenItOpensThePlainAddressAndSaysWhy() {
        var r = Ctl.run(Ctl.env(dir, "http://127.0.0.1:4300", dir.resolve("none")), "open", "--print");
        assertEquals(0, r.code());
        assertEquals("http://127.0.0.1:4300/\n", r.out());
        assertTrue(r.err().contains("no install token"), r.err());
    }
}
