package watchtower.ctl;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** How wtctl shows values to people: ages, token counts, costs, short ids, and text safe for a terminal. */
public final class Format {
    private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final int SHORT_ID = 8;

    private Format() {}

    /**
     * Server text made safe to print: a command or prompt may hold escape sequences that would
     * rewrite the user's terminal, or bidi controls that reorder what it shows. Line breaks and
     * tabs become spaces; other control characters become '?'.
     */
    public static String clean(String s) {
        if (s == null) return "";
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') out.append(' ');
            else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069)) out.append('?');
            else out.append(c);
        }
        return out.toString();
    }

    /** At most {@code max} characters, ending in "..." when cut. */
    public static String clip(String s, int max) {
        var clean = clean(s);
        return clean.length() <= max ? clean : clean.substring(0, Math.max(0, max - 3)) + "...";
    }

    /** "45s", "12m", "3h", "5d" since an API timestamp (UTC "yyyy-MM-dd HH:mm:ss"); "-" when unknown. */
    public static String age(String apiTime, Instant now) {
        if (apiTime == null || apiTime.isEmpty()) return "-";
        Instant then;
        try {
            then = LocalDateTime.parse(apiTime, API_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return "-";
        }
        long s = Math.max(0, Duration.between(then, now).getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86_400) return s / 3600 + "h";
        return s / 86_400 + "d";
    }

    /** "999", "1.2k", "45k", "3.4M": a count a person can take in at a glance. */
    public static String count(long n) {
        if (n < 1000) return Long.toString(n);
        if (n < 10_000) return String.format(Locale.ROOT, "%.1fk", n / 1000.0);
        if (n < 1_000_000) return n / 1000 + "k";
        if (n < 10_000_000) return String.format(Locale.ROOT, "%.1fM", n / 1_000_000.0);
        return n / 1_000_000 + "M";
    }

    /** Dollars with cents; "?" when the server does not know (cost_usd is null for unpriced models). */
    public static String cost(Object costUsd) {
        if (!(costUsd instanceof Number n)) return "?";
        double d = n.doubleValue();
        if (d > 0 && d < 0.01) return "<$0.01";
        return String.format(Locale.ROOT, "$%.2f", d);
    }

    /** The time of day from an API timestamp ("2026-11-02 14:03:07" gives "14:03:07"). */
    public static String timeOfDay(String apiTime) {
        if (apiTime == null) return "--:--:--";
        int space = apiTime.indexOf(' ');
        return space < 0 ? apiTime : apiTime.substring(space + 1);
    }

    /**
     * Each id cut to its first 8 characters, or longer where two ids would then look the same,
     * as git abbreviates commits. Short ids are accepted back by every command (SessionRef).
     */
    public static Map<String, String> shortIds(Collection<String> ids) {
        var out = new HashMap<String, String>();
        for (var id : ids) {
            int len = Math.min(id.length(), SHORT_ID);
            for (var other : ids) {
                if (other.equals(id)) continue;
                while (len < id.length() && other.startsWith(id.substring(0, len))) len++;
            }
            out.put(id, clean(id.substring(0, len)));
        }
        return out;
    }
}
