package watchtower.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAlignWithNumbersOnTheRightAndNoTrailingSpaces() {
        var table = new Table("ID", "NAME", "COUNT").alignRight(2);
        table.add("a1", "short", "7");
        table.add("b22", "a much longer name", "1234");
        assertEquals("""
                ID   NAME                COUNT
                a1   short                   7
                b22  a much longer name   1234
                """, print(table));
    }

    @Test
    void controlCharactersCannotBreakTheLayout() {
        var table = new Table("A", "B");
        table.add("x\ny", "z");
        assertEquals("A    B\nx y  z\n", print(table));
    }

    @Test
    void sessionListShowsUnknownCostAsQuestionMarkAndAlignsEveryColumn() {
        var now = Instant.parse("2026-11-02T12:00:00Z");
        var sessions = MiniJson.parseObjects("""
                [{"id": "3f2a9c1e0b7d4e55", "name": "refactor parser", "state": "awaiting_human",
                  "attention": "permission_prompt", "started_at": "2026-11-02 11:00:00", "tool_calls": 42,
                  "input_tokens": 120000, "output_tokens": 3400, "cost_usd": 1.5},
                 {"id": "77aa000011112222", "name": null, "state": "active", "attention": null,
                  "started_at": "2026-11-02 11:59:50", "tool_calls": 3, "input_tokens": 10, "output_tokens": 5,
                  "cost_usd": null}]""");
        var text = print(StatusCommand.render(sessions, Map.of("3f2a9c1e0b7d4e55", "12"), now));
        assertEquals("""
                ID        NAME             STATE                               AGE  TOOLS  TOKENS   COST  APPROVAL
                3f2a9c1e  refactor parser  awaiting_human (permission_prompt)   1h     42    123k  $1.50  12
                77aa0000  -                active                              10s      3      15      ?  -
                """, text);
    }

    private static String print(Table table) {
        var out = new StringWriter();
        table.print(new PrintWriter(out));
        return out.toString();
    }
}
