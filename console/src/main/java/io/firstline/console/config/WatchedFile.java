package io.firstline.console.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optional configuration file in the data directory that is read again
 * when its content changes, as the rules file is: a file that does not parse
 * is rejected as a whole, the last good settings stay in force, and the
 * error (file, line, option) is logged, kept in {@link #status()} (shown by
 * {@code GET /api/config-files} and the admin page) and counted in
 * {@code firstline_config_valid{file}} and
 * {@code firstline_config_reload_failures_total{file}}. No file means the
 * built-in defaults; a file removed later brings them back.
 *
 * @param <T> the parsed settings
 */
public final class WatchedFile<T> {
    private static final Logger log = LoggerFactory.getLogger(WatchedFile.class);

    /** Parses the file's text; throws {@link IllegalArgumentException} (ideally a {@link ConfigFileException}) naming the problem. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String fileName, String text);
    }

    /** Whether the file on disk is in force, and the error if not. */
    public record Status(String name, Path file, boolean present, boolean valid, String error, ConfigFileException problem,
                         Instant checkedAt, Instant appliedAt) {
    }

    private final String name;
    private final Path file;
    private final Parser<T> parser;
    private final T absent;
    private final Clock clock;
    private final Counter failures;
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
    private volatile T current;
    private volatile Status status;
    private String lastText;

    private WatchedFile(Path file, Parser<T> parser, T absent, Clock clock, MeterRegistry registry) {
        this.name = file.getFileName().toString();
        this.file = file;
        this.parser = parser;
        this.absent = Objects.requireNonNull(absent, "absent");
        this.clock = clock;
        this.failures = Counter.builder("firstline.config.reload.failures").tag("file", name)
                .description("Configuration files (tickets.yaml, notifications.yaml) rejected at reload").register(registry);
        Gauge.builder("firstline.config.valid", this, w -> w.status.valid() ? 1 : 0).tag("file", name)
                .description("1 when the configuration file on disk is in force, 0 when it was rejected")
                .strongReference(true).register(registry);
    }

    /**
     * Reads {@code file} (or takes {@code absent} when there is none).
     *
     * @throws ConfigFileException when the file is there but wrong: at start there is no last good file to keep
     */
    public static <T> WatchedFile<T> open(Path file, Parser<T> parser, T absent, Clock clock, MeterRegistry registry) {
        WatchedFile<T> w = new WatchedFile<>(file, parser, absent, clock, registry);
        String text = w.read();
        T first = text == null ? absent : w.parse(text);
        w.lastText = text;
        w.current = first;
        w.status = new Status(w.name, file, text != null, true, "", null, clock.instant(), clock.instant());
        return w;
    }

    private String read() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
    }

    private T parse(String text) {
        try {
            return parser.parse(file.toString(), text);
        } catch (ConfigFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            String prefix = file + ": ";
            throw new ConfigFileException(file.toString(), 0, "", m.startsWith(prefix) ? m.substring(prefix.length()) : m);
        }
    }

    /**
     * Reads the file again; applies it when it changed and is valid.
     *
     * @return true when new settings came into force
     */
    public synchronized boolean reload() {
        String text;
        try {
            text = read();
        } catch (ConfigFileException e) {
            return reject(e, lastText);
        }
        if (Objects.equals(text, lastText) && status.valid()) {
            return false;
        }
        if (Objects.equals(text, lastText)) {
            // still the rejected text: nothing new to say
            status = new Status(name, file, text != null, false, status.error(), status.problem(), clock.instant(),
                    status.appliedAt());
            return false;
        }
        T parsed;
        try {
            parsed = text == null ? absent : parse(text);
        } catch (ConfigFileException e) {
            return reject(e, text);
        }
        lastText = text;
        current = parsed;
        status = new Status(name, file, text != null, true, "", null, clock.instant(), clock.instant());
        log.info("{} {}: the new settings are in force", file, text == null ? "removed (built-in defaults)" : "changed");
        for (Consumer<T> l : listeners) {
            l.accept(parsed);
        }
        return true;
    }

    private boolean reject(ConfigFileException e, String text) {
        lastText = text;
        failures.increment();
        status = new Status(name, file, text != null, false, e.getMessage(), e, clock.instant(), status.appliedAt());
        log.error("{} rejected, the last good settings stay in force: {}", name, e.getMessage());
        return false;
    }

    public T current() {
        return current;
    }

    public Status status() {
        return status;
    }

    /** Called with the new settings whenever they change (on the reloading thread). */
    public void onChange(Consumer<T> listener) {
        listeners.add(listener);
    }
}
