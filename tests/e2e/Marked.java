package watchtower.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The live processes whose environment holds {@code NAME=value}, read from /proc: how a
 * test finds everything a program it started has started in turn (environments are
 * inherited), whoever their parent is now.
 */
final class Marked {
    private Marked() {}

    static List<ProcessHandle> processes(String name, String value) {
        var needle = (name + "=" + value + "\0").getBytes(UTF_8);
        var out = new ArrayList<ProcessHandle>();
        var self = ProcessHandle.current().pid();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (var dir : (Iterable<Path>) dirs::iterator) {
                var pid = dir.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit) || Long.parseLong(pid) == self) continue;
                byte[] env;
                try {
                    env = Files.readAllBytes(dir.resolve("environ"));
                } catch (IOException | SecurityException e) {
                    continue; // gone, or not ours to read
                }
                if (indexOf(env, needle) >= 0) ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).ifPresent(out::add);
            }
        } catch (IOException e) {
            return List.of(); // no /proc: nothing we can find
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (i > 0 && hay[i - 1] != 0) continue; // only at the start of an entry
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
