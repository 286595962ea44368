package io.firstline.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code firstline-agent run}, parsed without picocli.
 * {@code run} is the one command that stays up for days, and picocli (which
 * parses the short-lived commands) builds its model by reflection and keeps
 * about 175 classes loaded: some 3 MiB of the agent's resident memory for
 * the life of the process (docs/benchmarks.md, "Agent memory budget").
 *
 * <p>Options are {@code --name VALUE} or {@code --name=VALUE}; a repeatable
 * one may be given several times and splits its values on commas; {@code -h}
 * and {@code --help} ask for the usage text. Errors read like picocli's, so
 * every command of the agent answers bad input the same way.
 */
final class Options {
    /** One option that takes a value. */
    record Option(String name, String label, String description, String defaultValue, boolean required, boolean repeatable) {
        static Option of(String name, String label, String description) {
            return new Option(name, label, description, null, false, false);
        }

        Option withDefault(String value) {
            return new Option(name, label, description, value, required, repeatable);
        }

        Option asRequired() {
            return new Option(name, label, description, defaultValue, true, repeatable);
        }

        Option asRepeatable() {
            return new Option(name, label, description, defaultValue, required, true);
        }
    }

    /** Bad input: the message names the option or argument, as picocli's do. */
    static final class BadInput extends IllegalArgumentException {
        BadInput(String message) {
            super(message);
        }
    }

    /** What the command line said: each option's values (defaults filled in), or a request for help. */
    record Parsed(Map<String, List<String>> values, boolean help) {
        /** The option's value (its last one if given twice), or null when it has none and no default. */
        String get(String name) {
            List<String> v = values.get(name);
            return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
        }

        /** Every value of a repeatable option, commas split. */
        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }

    private final String command;
    private final String description;
    private final Map<String, Option> options = new LinkedHashMap<>();

    Options(String command, String description, List<Option> options) {
        this.command = command;
        this.description = description;
        for (Option o : options) {
            this.options.put(o.name(), o);
        }
    }

    Parsed parse(String... args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Parsed(Map.of(), true);
            }
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            Option o = options.get(name);
            if (o == null) {
                throw new BadInput(arg.startsWith("-") ? "Unknown option: '" + arg + "'"
                        : "Unmatched argument at index " + i + ": '" + arg + "'");
            }
            String value;
            if (eq > 0 && arg.startsWith("--")) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !options.containsKey(args[i + 1])) {
                value = args[++i];
            } else {
                throw new BadInput("Missing required parameter for option '" + o.name() + "' (" + o.label() + ")");
            }
            List<String> list = values.computeIfAbsent(o.name(), k -> new ArrayList<>());
            if (o.repeatable()) {
                for (String part : value.split(",")) {
                    list.add(part);
                }
            } else {
                list.add(value);
            }
        }
        for (Option o : options.values()) {
            if (!values.containsKey(o.name())) {
                if (o.required()) {
                    throw new BadInput("Missing required option: '" + o.name() + "=" + o.label() + "'");
                }
                if (o.defaultValue() != null) {
                    values.put(o.name(), List.of(o.defaultValue()));
                }
            }
        }
        return new Parsed(values, false);
    }

    /** The usage text: the synopsis, the description, and each option with its default. */
    String usage() {
        StringBuilder synopsis = new StringBuilder("Usage: " + command + " [-h]");
        StringBuilder list = new StringBuilder();
        for (Option o : options.values()) {
            String form = o.name() + "=" + o.label();
            synopsis.append(' ').append(o.required() ? form : "[" + form + "]").append(o.repeatable() ? "..." : "");
            list.append("      ").append(form).append(System.lineSeparator());
            String text = o.description() + (o.defaultValue() == null ? "" : " Default: " + o.defaultValue() + ".");
            list.append("                  ").append(text).append(System.lineSeparator());
        }
        list.append("  -h, --help        Show this help message and exit.").append(System.lineSeparator());
        return synopsis + System.lineSeparator() + description + System.lineSeparator() + list;
    }
}
