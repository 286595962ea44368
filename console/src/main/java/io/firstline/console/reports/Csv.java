package io.firstline.console.reports;

import java.util.List;

/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes
 * doubled. A text field that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or carriage return) gets a leading apostrophe, since
 * host, OS and hardware names come from agents.
 */
public final class Csv {
    private final StringBuilder out = new StringBuilder();

    public Csv row(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
        return this;
    }

    static String field(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : n.toString();
        }
        String s = v.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
