package io.firstline.agent.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Columns aligned to their widest cell, two spaces apart; the last column is
 * not padded, so long texts (addresses, errors) do not push the others apart.
 * A column that holds only numbers (each with at most one unit) is right-aligned.
 */
final class TextTable {
    /** A number with at most one unit after it ("218.5 KiB/s", "64.4 %", "1400"), or "-" for none. */
    private static final Pattern NUMBER = Pattern.compile("-|-?\\d[\\d.]*( ?[^\\s\\d]\\S*)?|");
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + header.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void appendTo(StringBuilder b) {
        int n = header.size();
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = header.get(c).length();
            right[c] = c > 0;
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
                right[c] &= NUMBER.matcher(r.get(c)).matches();
            }
        }
        line(b, header, width, right);
        for (List<String> r : rows) {
            line(b, r, width, right);
        }
    }

    private static void line(StringBuilder b, List<String> cells, int[] width, boolean[] right) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String s = cells.get(c);
            boolean last = c == cells.size() - 1;
            if (c > 0) {
                l.append("  ");
            }
            int pad = width[c] - s.length();
            if (right[c]) {
                l.append(" ".repeat(pad)).append(s);
            } else {
                l.append(s);
                if (!last) {
                    l.append(" ".repeat(pad));
                }
            }
        }
        b.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }
}
