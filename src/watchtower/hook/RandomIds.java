package watchtower.hook;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for {@code wt_event_id}. Reads {@code /dev/urandom} directly:
 * {@link UUID#randomUUID()} first initialises {@code SecureRandom} and its providers, which
 * costs a hook ~35 ms of start-up. Falls back to it where there is no {@code /dev/urandom}.
 */
final class RandomIds {
    private RandomIds() {}

    static String uuid() {
        var b = new byte[16];
        try (var in = new FileInputStream("/dev/urandom")) {
            if (in.readNBytes(b, 0, 16) != 16) return UUID.randomUUID().toString();
        } catch (IOException e) {
            return UUID.randomUUID().toString();
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xff);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xff);
        return new UUID(hi, lo).toString();
    }
}
