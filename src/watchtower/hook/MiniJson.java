package watchtower.hook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Just enough JSON for the hook, without a library (Jackson costs ~280 ms of start-up):
 * split a JSON object into its top-level members, keeping each value's raw text, and
 * read or write a string. It validates what it scans, so a value it returns is JSON;
 * it never builds a tree.
 */
final class MiniJson {
    private MiniJson() {}

    /** Deeper input is refused rather than risking a StackOverflowError on hostile nesting. */
    static final int MAX_DEPTH = 512;

    /**
     * The top-level members of a JSON object, in order, as key → raw value text (whitespace
     * outside strings removed), or empty when {@code text} is not exactly one JSON object.
     * A repeated key keeps its first position and its last value, as jq and Jackson read it.
     */
    static Optional<Map<String, String>> members(String text) {
        if (text == null) return Optional.empty();
        var s = new Scanner(text);
        try {
            s.skipWs();
            s.expect('{');
            var out = new LinkedHashMap<String, String>();
            s.skipWs();
            if (s.peek() == '}') {
                s.pos++;
            } else {
                while (true) {
                    s.skipWs();
                    int keyStart = s.pos;
                    s.skipString();
                    var key = decodeString(text.substring(keyStart, s.pos));
                    s.skipWs();
                    s.expect(':');
                    s.skipWs();
                    int valueStart = s.pos;
                    s.skipValue(1);
                    out.put(key, compact(text.substring(valueStart, s.pos)));
                    s.skipWs();
                    char c = s.next();
                    if (c == '}') break;
                    if (c != ',') throw new IllegalArgumentException("expected , or }");
                }
            }
            s.skipWs();
            if (!s.atEnd()) return Optional.empty();
            return Optional.of(out);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** The value of a top-level string member, decoded; empty when absent or not a string. */
    static Optional<String> stringField(Map<String, String> members, String key) {
        var raw = members.get(key);
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '"') return Optional.empty();
        return Optional.of(decodeString(raw));
    }

    /** jq's truthiness, used by {@code a // b}: everything except null and false (and absence). */
    static boolean truthy(String raw) {
        return raw != null && !raw.equals("null") && !raw.equals("false");
    }

    /** A JSON string literal for {@code value}, quotes included. */
    static String quote(String value) {
        var b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Decodes a JSON string literal (quotes included) that the scanner has already validated. */
    static String decodeString(String literal) {
        var b = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(e); // " \ /
            }
        }
        return b.toString();
    }

    /** Removes whitespace outside strings from JSON text the scanner has already validated. */
    static String compact(String json) {
        var b = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                b.append(c);
                if (c == '\\') b.append(json.charAt(++i));
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
                b.append(c);
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A validating cursor over the text; every failure is an IllegalArgumentException. */
    private static final class Scanner {
        final String text;
        int pos;

        Scanner(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            if (atEnd()) throw new IllegalArgumentException("unexpected end");
            return text.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) throw new IllegalArgumentException("expected " + c);
        }

        void skipWs() {
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
                pos++;
            }
        }

        void skipValue(int depth) {
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("too deep");
            char c = peek();
            switch (c) {
                case '"' -> skipString();
                case '{' -> skipContainer('}', depth, true);
                case '[' -> skipContainer(']', depth, false);
                case 't' -> skipLiteral("true");
                case 'f' -> skipLiteral("false");
                case 'n' -> skipLiteral("null");
                default -> skipNumber();
            }
        }

        void skipContainer(char close, int depth, boolean object) {
            pos++;
            skipWs();
            if (peek() == close) {
                pos++;
                return;
            }
            while (true) {
                skipWs();
                if (object) {
                    skipString();
                    skipWs();
                    expect(':');
                    skipWs();
                }
                skipValue(depth + 1);
                skipWs();
                char c = next();
                if (c == close) return;
                if (c != ',') throw new IllegalArgumentException("expected , or " + close);
            }
        }

        void skipString() {
            expect('"');
            while (true) {
                char c = next();
                if (c == '"') return;
                if (c < 0x20) throw new IllegalArgumentException("control character in string");
                if (c == '\\') {
                    char e = next();
                    if (e == 'u') {
                        for (int i = 0; i < 4; i++) {
                            if (Character.digit(next(), 16) < 0) throw new IllegalArgumentException("bad \\u escape");
                        }
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        throw new IllegalArgumentException("bad escape");
                    }
                }
            }
        }

        void skipLiteral(String word) {
            if (!text.startsWith(word, pos)) throw new IllegalArgumentException("bad literal");
            pos += word.length();
        }

        void skipNumber() {
            int start = pos;
            if (peekIs('-')) pos++;
            if (peekIs('0')) {
                pos++;
            } else {
                digits();
            }
            if (peekIs('.')) {
                pos++;
                digits();
            }
            if (peekIs('e') || peekIs('E')) {
                pos++;
                if (peekIs('+') || peekIs('-')) pos++;
                digits();
            }
            if (pos == start) throw new IllegalArgumentException("bad value");
        }

        private boolean peekIs(char c) {
            return !atEnd() && text.charAt(pos) == c;
        }

        private void digits() {
            int start = pos;
            while (!atEnd() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
            if (pos == start) throw new IllegalArgumentException("expected digits");
        }
    }
}
