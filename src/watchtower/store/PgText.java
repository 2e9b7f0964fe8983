package watchtower.store;

/**
 * PostgreSQL text cannot hold U+0000, which SQLite (and the reference) store as given: a hook may
 * send any string. On PostgreSQL, NUL is written as U+E000 U+E001 and U+E000 itself as U+E000
 * U+E000 (private-use characters), and read back the other way, so every string round-trips.
 */
final class PgText {
    private PgText() {}

    private static final char ESCAPE = '\uE000';

    static String encode(String s) {
        if (s.indexOf('\u0000') < 0 && s.indexOf(ESCAPE) < 0) return s;
        var out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\u0000') out.append(ESCAPE).append('\uE001');
            else if (ch == ESCAPE) out.append(ESCAPE).append(ESCAPE);
            else out.append(ch);
        }
        return out.toString();
    }

    static String decode(String s) {
        if (s.indexOf(ESCAPE) < 0) return s;
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ESCAPE && i + 1 < s.length()) {
                char next = s.charAt(++i);
                out.append(next == '\uE001' ? '\u0000' : next);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
