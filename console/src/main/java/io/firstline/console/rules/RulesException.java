package io.firstline.console.rules;

/**
 * A rejected rules file, with where the problem is: file, line, rule id and
 * field, as in {@code rules.yaml: line 12: rule 'disk_almost_full': field 'for': ...}.
 */
public final class RulesException extends RuntimeException {
    private final String file;
    private final int line;
    private final String ruleId;
    private final String field;
    private final String problem;

    public RulesException(String file, int line, String ruleId, String field, String problem) {
        super(format(file, line, ruleId, field, problem));
        this.file = file;
        this.line = line;
        this.ruleId = ruleId;
        this.field = field;
        this.problem = problem;
    }

    private static String format(String file, int line, String ruleId, String field, String problem) {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(": line ").append(line);
        }
        if (!ruleId.isEmpty()) {
            b.append(": rule '").append(ruleId).append('\'');
        }
        if (!field.isEmpty()) {
            b.append(": field '").append(field).append('\'');
        }
        return b.append(": ").append(problem).toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The rule's id, or empty when the problem is outside a rule (or the id is what is wrong). */
    public String ruleId() {
        return ruleId;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
