package io.firstline.console.config;

/**
 * A rejected configuration file under the data directory ({@code tickets.yaml},
 * {@code notifications.yaml}), with where the problem is, phrased like the
 * rules file's errors: {@code notifications.yaml: line 7: option 'smtp.port': must be 1-65535, got 70000}.
 */
public final class ConfigFileException extends IllegalArgumentException {
    private final String file;
    private final int line;
    private final String option;
    private final String problem;

    public ConfigFileException(String file, int line, String option, String problem) {
        super(format(file, line, option, problem));
        this.file = file;
        this.line = line;
        this.option = option;
        this.problem = problem;
    }

    private static String format(String file, int line, String option, String problem) {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(": line ").append(line);
        }
        if (!option.isEmpty()) {
            b.append(": option '").append(option).append('\'');
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

    /** The option's path in the file ({@code email[0].to}), or empty for the file as a whole. */
    public String option() {
        return option;
    }

    public String problem() {
        return problem;
    }
}
