package watchtower.ctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table for people: a header row, columns two spaces apart, numbers right-aligned,
 * no trailing spaces. Cells are cleaned of control characters before they are measured.
 */
public final class Table {
    private final List<String> headers;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
        this.right = new boolean[headers.length];
    }

    public Table alignRight(int... columns) {
        for (int c : columns) right[c] = true;
        return this;
    }

    public void add(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(Format::clean).toList());
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) width[c] = headers.get(c).length();
        for (var row : rows) {
            for (int c = 0; c < width.length; c++) width[c] = Math.max(width[c], row.get(c).length());
        }
        printRow(out, headers, width);
        for (var row : rows) printRow(out, row, width);
        out.flush();
    }

    private void printRow(PrintWriter out, List<String> cells, int[] width) {
        var line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) line.append("  ");
            var cell = cells.get(c);
            var pad = " ".repeat(width[c] - cell.length());
            if (right[c]) line.append(pad).append(cell);
            else line.append(cell).append(pad);
        }
        out.println(line.toString().stripTrailing());
    }
}
