package watchtower.machines;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A machine's credential: "wtm_" and 32 base64url characters (192 random bits). Only its SHA-256
 * is stored, so a copy of the database cannot post as a machine; a plain (unsalted) hash is
 * enough because the token is random, not a password someone chose.
 */
public final class MachineToken {
    public static final String PREFIX = "wtm_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private MachineToken() {}

    public static String generate() {
        var bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether the text could be a machine token at all: the check before touching the database. */
    public static boolean looksLikeOne(String token) {
        return token != null && token.length() == PREFIX.length() + 32 && token.startsWith(PREFIX)
                && token.chars().skip(PREFIX.length()).allMatch(MachineToken::isBase64Url);
    }

    public static String hash(String token) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
