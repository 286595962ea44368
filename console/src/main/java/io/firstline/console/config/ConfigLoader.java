package io.firstline.console.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.firstline.console.net.IoSettings;
import io.firstline.console.pki.TlsProvider;
import io.firstline.console.store.StoreSettings;
import io.firstline.wire.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the console's YAML configuration. Every problem is reported as a
 * {@link ConfigException} naming the file, the line, the option and what it
 * allows; never a Java type.
 *
 * <pre>
 * dataDir: /var/lib/firstline-console
 * agent:
 *   bind: 0.0.0.0
 *   port: 7443
 *   maxFrameBytes: 1048576
 *   handshakeTimeout: 10s
 *   tlsProvider: auto        # auto | openssl | jdk
 *   maxHandshakes: 128
 *   shutdownSpread: 10s      # at least; 2 ms per connected agent if that is longer
 *   admissionWait: 10s       # past maxHandshakes, wait this long for a slot before refusing
 *   ioCoalescing: 20ms       # 0s: handle each socket as soon as it is ready
 * http:
 *   bind: 127.0.0.1
 *   port: 8080
 * sampleInterval: 10s
 * offlineAfterIntervals: 3
 * store:                      # absent: embedded SQLite in dataDir
 *   url: jdbc:postgresql://db.example:5432/firstline
 *   user: firstline
 *   passwordFile: /etc/firstline/store-password   # optional
 * </pre>
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** A configuration problem, already phrased for the user. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    static final class Raw {
        @JsonProperty String dataDir;
        @JsonProperty RawListen agent = new RawListen();
        @JsonProperty RawListen http = new RawListen();
        @JsonProperty String sampleInterval;
        @JsonProperty Integer offlineAfterIntervals;
        @JsonProperty RawStore store;
    }

    static final class RawStore {
        @JsonProperty String url;
        @JsonProperty String user;
        @JsonProperty String passwordFile;
    }

    static final class RawListen {
        @JsonProperty String bind;
        @JsonProperty Integer port;
        @JsonProperty Integer maxFrameBytes;
        @JsonProperty String handshakeTimeout;
        @JsonProperty String tlsProvider;
        @JsonProperty Integer maxHandshakes;
        @JsonProperty String shutdownSpread;
        @JsonProperty String admissionWait;
        @JsonProperty String ioCoalescing;
    }

    private ConfigLoader() {
    }

    public static ConsoleConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    static ConsoleConfig parse(String name, String text) {
        Raw raw;
        try {
            raw = text.isBlank() ? new Raw() : YAML.readValue(text, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(where(name, e.getLocation()) + "unknown option '" + path(e) + "' (known here: " + known + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(where(name, e.getLocation()) + "option '" + path(e) + "' " + expected(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(name, e.getLocation()) + "not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        }
        if (raw == null) {
            raw = new Raw();
        }
        Options o = new Options(name, text);
        ConsoleConfig d = ConsoleConfig.defaults(Path.of(raw.dataDir != null ? raw.dataDir : "/var/lib/firstline-console"));
        RawListen a = raw.agent == null ? new RawListen() : raw.agent;
        RawListen h = raw.http == null ? new RawListen() : raw.http;
        if (h.maxFrameBytes != null) {
            throw o.fail("http.maxFrameBytes", "belongs under 'agent' (agent.maxFrameBytes)");
        }
        if (h.handshakeTimeout != null) {
            throw o.fail("http.handshakeTimeout", "belongs under 'agent' (agent.handshakeTimeout)");
        }
        if (h.tlsProvider != null) {
            throw o.fail("http.tlsProvider", "belongs under 'agent' (agent.tlsProvider)");
        }
        if (h.maxHandshakes != null) {
            throw o.fail("http.maxHandshakes", "belongs under 'agent' (agent.maxHandshakes)");
        }
        if (h.shutdownSpread != null) {
            throw o.fail("http.shutdownSpread", "belongs under 'agent' (agent.shutdownSpread)");
        }
        if (h.admissionWait != null) {
            throw o.fail("http.admissionWait", "belongs under 'agent' (agent.admissionWait)");
        }
        if (h.ioCoalescing != null) {
            throw o.fail("http.ioCoalescing", "belongs under 'agent' (agent.ioCoalescing)");
        }
        return new ConsoleConfig(d.dataDir(),
                new ConsoleConfig.Listen(a.bind != null ? a.bind : d.agentListen().bind(),
                        o.number("agent.port", a.port, d.agentListen().port(), 0, 65535)),
                new ConsoleConfig.Listen(h.bind != null ? h.bind : d.httpListen().bind(),
                        o.number("http.port", h.port, d.httpListen().port(), 0, 65535)),
                o.duration("sampleInterval", raw.sampleInterval, d.sampleInterval(), Duration.ofSeconds(1), Duration.ofHours(1)),
                o.number("offlineAfterIntervals", raw.offlineAfterIntervals, d.offlineAfterIntervals(), 2, 100),
                o.number("agent.maxFrameBytes", a.maxFrameBytes, d.maxFrameBytes(), 1024, 64 << 20),
                o.duration("agent.handshakeTimeout", a.handshakeTimeout, d.handshakeTimeout(), Duration.ofMillis(1), Duration.ofMinutes(10)),
                store(o, raw.store),
                tlsProvider(o, a.tlsProvider),
                o.number("agent.maxHandshakes", a.maxHandshakes, d.maxHandshakes(), 1, 100_000),
                o.duration("agent.shutdownSpread", a.shutdownSpread, d.shutdownSpread(), Duration.ZERO, Duration.ofMinutes(2)),
                o.duration("agent.admissionWait", a.admissionWait, d.admissionWait(), Duration.ZERO, ConsoleConfig.MAX_ADMISSION_WAIT),
                new IoSettings(o.duration("agent.ioCoalescing", a.ioCoalescing, d.io().agentCoalescing(), Duration.ZERO,
                        IoSettings.MAX_AGENT_COALESCING)));
    }


    private static TlsProvider tlsProvider(Options o, String value) {
        if (value == null) {
            return TlsProvider.AUTO;
        }
        try {
            return TlsProvider.parse(value);
        } catch (IllegalArgumentException e) {
            throw o.fail("agent.tlsProvider", e.getMessage());
        }
    }

    private static StoreSettings store(Options o, RawStore s) {
        if (s == null) {
            return StoreSettings.EMBEDDED;
        }
        if (s.url == null || s.url.isBlank()) {
            throw o.fail("store.url", "is required in a 'store' section: a PostgreSQL JDBC URL such as"
                    + " jdbc:postgresql://db.example:5432/firstline (leave out 'store' for the embedded SQLite store)");
        }
        Optional<Path> passwordFile = Optional.empty();
        if (s.passwordFile != null) {
            if (s.passwordFile.isBlank()) {
                throw o.fail("store.passwordFile", "must name a file holding the password");
            }
            passwordFile = Optional.of(Path.of(s.passwordFile));
        }
        try {
            return new StoreSettings(s.url.strip(), s.user == null ? "" : s.user.strip(), passwordFile);
        } catch (IllegalArgumentException e) {
            throw o.fail("store.url", e.getMessage());
        }
    }

    /** What a value of the wrong type should have been, in words (never a Java type name). */
    private static String expected(JsonMappingException e) {
        Class<?> t = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (t == Integer.class || t == int.class) {
            return "must be a whole number";
        }
        if (t == String.class) {
            return "must be a single value (text)";
        }
        if (t == RawStore.class) {
            return "must be a section of options (url, user, passwordFile)";
        }
        if (t == RawListen.class) {
            return "must be a section of options (bind, port, maxFrameBytes, handshakeTimeout, tlsProvider, maxHandshakes, shutdownSpread, admissionWait, ioCoalescing)";
        }
        if (t == Raw.class) {
            return "the file must be a map of options (dataDir, agent, http, sampleInterval, offlineAfterIntervals, store)";
        }
        return "has the wrong type";
    }

    /** Range checks that name the option and its line in the file. */
    private record Options(String file, String text) {
        int number(String option, Integer value, int fallback, int min, int max) {
            if (value == null) {
                return fallback;
            }
            if (value < min || value > max) {
                throw fail(option, "must be from " + min + " to " + max + ", got " + value);
            }
            return value;
        }

        Duration duration(String option, String value, Duration fallback, Duration min, Duration max) {
            if (value == null) {
                return fallback;
            }
            Duration d;
            try {
                d = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw fail(option, "must be a duration such as 500ms, 10s, 5m, 24h or 7d, got '" + value + "'");
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw fail(option, "must be from " + Durations.format(min) + " to " + Durations.format(max) + ", got " + value);
            }
            return d;
        }

        ConfigException fail(String option, String problem) {
            int line = lineOf(text, option);
            return new ConfigException(file + ": " + (line > 0 ? "line " + line + ": " : "") + "option '" + option + "' " + problem);
        }
    }

    /** The line of a dotted option (e.g. {@code http.port}) in the YAML text, or 0 if it is not there. */
    static int lineOf(String text, String option) {
        String pointer = "/" + option.replace('.', '/');
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.getParsingContext().pathAsPointer().toString().equals(pointer)) {
                    return p.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static String where(String name, JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? name + ": " : name + ": line " + loc.getLineNr() + ": ";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
