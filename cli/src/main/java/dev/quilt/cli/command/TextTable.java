package dev.quilt.cli.command;

import java.util.List;

/** Plain-text tables for the listing commands: columns two spaces apart, no trailing blanks. */
public final class TextTable {
    private TextTable() {}

    /**
     * The rows (the first one a header), each column as wide as its widest cell; columns from
     * {@code firstRightAligned} on are aligned right, so numbers line up, the others left.
     */
    public static String format(List<String[]> rows, int firstRightAligned) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(i >= firstRightAligned ? pad + cell : cell + pad);
                line.append(i < row.length - 1 ? "  " : "");
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
