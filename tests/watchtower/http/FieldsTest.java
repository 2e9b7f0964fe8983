package watchtower.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FieldsTest {
    /** The rule as the API documents it; the hand-written check must agree with it everywhere. */
    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @Test
    void sessionIdsFollowTheDocumentedRule() {
        var cases = new String[] {
            "a", "Z", "7", "0123e4567-e89b-12d3-a456-426614174000", "wt_1.2-x", "a".repeat(128), "a".repeat(129),
            "", ".hidden", "-x", "_x", "a b", "a/b", "../etc", "a\n", "a\u0000", "é", "a\u0663", "\u0663",
            "ａ", "a;rm -rf", "a%2F", "A.B_C-D", "a\t", "a\\b", "a:b"
        };
        for (var raw : cases) {
            assertEquals(DOCUMENTED.matcher(raw).matches(), Fields.isSessionId(raw), () -> "for " + raw.replace("\n", "\\n"));
        }
        assertFalse(Fields.isSessionId(null));
    }

    @Test
    void aBadSessionIdInABodyIs422AndInAPathIs404() {
        assertEquals("ok-1", Fields.sessionId("ok-1"));
        assertEquals(422, assertThrows(ApiError.class, () -> Fields.sessionId("../x")).status());
        assertEquals(404, assertThrows(ApiError.class, () -> Fields.sessionIdInPath("a b")).status());
        assertTrue(Fields.isSessionId(Fields.sessionIdInPath("x.y")));
    }
}
