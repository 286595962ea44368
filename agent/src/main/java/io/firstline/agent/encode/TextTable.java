package io.firstline.agent.encode;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns aligned to their widest cell, two spaces apart; the last column is
 * not padded, so long texts (addresses, errors) do not push the others apart.
 * Numbers and units are right-aligned where a column holds only them.
 */
final class TextTable {
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
                right[c] &= r.get(c).isEmpty() || Character.isDigit(r.get(c).charAt(0)) || r.get(c).charAt(0) == '-';
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
