package io.firstline.console.rules;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * The console's rules: the file {@code DATA/rules.yaml} (written from the
 * built-in default pack on first start), reloaded when its content changes.
 * A file that does not parse is rejected as a whole: the last good rules
 * stay active and the error is logged, shown by {@link #status()} (GET
 * /api/rules) and counted in metrics. When there is no last good file at
 * start, the built-in pack is used.
 */
public final class RulesService {
    private static final Logger log = LoggerFactory.getLogger(RulesService.class);
    public static final String FILE_NAME = "rules.yaml";
    static final String DEFAULT_PACK = "/io/firstline/console/rules/default-rules.yaml";

    /** Whether the file on disk is in force, and the error if not. */
    public record Status(Path file, boolean valid, String error, RulesException problem, Instant checkedAt,
                         String activeVersion, int activeRules) {
    }

    private final Path file;
    private final Clock clock;
    private final List<Consumer<RuleFile>> listeners = new CopyOnWriteArrayList<>();
    private final Counter failures;
    private volatile RuleFile current;
    private volatile Status status;
    private String lastText;

    private RulesService(Path file, Clock clock, MeterRegistry registry) {
        this.file = file;
        this.clock = clock;
        this.failures = Counter.builder("firstline.rules.reload.failures").description("Rules files rejected at load or reload")
                .register(registry);
        Gauge.builder("firstline.rules.valid", this, s -> s.status.valid() ? 1 : 0)
                .description("1 when the rules file on disk is in force, 0 when it was rejected").strongReference(true).register(registry);
        Gauge.builder("firstline.rules.active", this, s -> s.current.rules().size())
                .description("Rules in force").strongReference(true).register(registry);
    }

    /** Opens {@code dataDir/rules.yaml}, writing the default pack there first if it does not exist. */
    public static RulesService open(Path dataDir, Clock clock, MeterRegistry registry) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                PrivateFiles.createNew(file, defaultPackText());
                log.info("wrote the default rule pack to {}", file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        RulesService s = new RulesService(file, clock, registry);
        s.current = RulesParser.parse("built-in " + FILE_NAME, defaultPackText());
        s.status = new Status(file, true, "", null, clock.instant(), s.current.version(), s.current.rules().size());
        s.reload();
        return s;
    }

    /** The built-in default pack, as shipped in the jar. */
    public static String defaultPackText() {
        try (InputStream in = RulesService.class.getResourceAsStream(DEFAULT_PACK)) {
            return new String(Objects.requireNonNull(in, DEFAULT_PACK).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the file again; applies it when it changed and is valid.
     *
     * @return true when new rules came into force
     */
    public synchronized boolean reload() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return reject(new RulesException(file.toString(), 0, "", "", "cannot read: " + e.getMessage()), null);
        }
        if (text.equals(lastText)) {
            return false;
        }
        RuleFile parsed;
        try {
            parsed = RulesParser.parse(file.toString(), text);
        } catch (RulesException e) {
            return reject(e, text);
        }
        lastText = text;
        boolean changed = !parsed.version().equals(current.version());
        current = parsed;
        status = new Status(file, true, "", null, clock.instant(), parsed.version(), parsed.rules().size());
        if (changed) {
            log.info("rules {} in force: {} rules ({} on agents) from {}", parsed.version(), parsed.rules().size(),
                    parsed.agentRules().size(), file);
            listeners.forEach(l -> l.accept(parsed));
        }
        return changed;
    }

    private boolean reject(RulesException e, String text) {
        lastText = text;
        failures.increment();
        status = new Status(file, false, e.getMessage(), e, clock.instant(), current.version(), current.rules().size());
        log.error("rules file rejected, the last good rules ({}) stay in force: {}", current.version(), e.getMessage());
        return false;
    }

    public RuleFile current() {
        return current;
    }

    public Status status() {
        return status;
    }

    /** Called with the new rules whenever they change (on the reloading thread). */
    public void onChange(Consumer<RuleFile> listener) {
        listeners.add(listener);
    }
}
