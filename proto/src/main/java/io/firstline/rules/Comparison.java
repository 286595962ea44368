package io.firstline.rules;

/** How a value is compared with a threshold. */
public enum Comparison {
    ABOVE(">"), AT_LEAST(">="), BELOW("<"), AT_MOST("<="), EQUAL("=="), NOT_EQUAL("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean test(double value, double threshold) {
        return switch (this) {
            case ABOVE -> value > threshold;
            case AT_LEAST -> value >= threshold;
            case BELOW -> value < threshold;
            case AT_MOST -> value <= threshold;
            case EQUAL -> value == threshold;
            case NOT_EQUAL -> value != threshold;
        };
    }

    /** Parses a symbol such as {@code ">="}. */
    public static Comparison parse(String s) {
        for (Comparison c : values()) {
            if (c.symbol.equals(s.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("condition must be one of >, >=, <, <=, ==, != but is '" + s + "'");
    }
}
