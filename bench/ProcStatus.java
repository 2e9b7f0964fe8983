import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of a running process from /proc/PID/status: VmRSS (resident now) and VmHWM (the
 * resident high-water mark since it started), in kB. Linux only; 0 when unreadable.
 */
final class ProcStatus {
    private ProcStatus() {}

    static long rssKb(long pid) {
        return field(pid, "VmRSS:");
    }

    static long peakRssKb(long pid) {
        return field(pid, "VmHWM:");
    }

    private static long field(long pid, String name) {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name)) return Long.parseLong(line.substring(name.length()).replace("kB", "").trim());
            }
        } catch (IOException | NumberFormatException e) {
            return 0; // the process has exited, or this is not Linux: report nothing rather than fail the run
        }
        return 0;
    }
}
