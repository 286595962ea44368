package io.firstline.console.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.firstline.wire.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Reads the console's YAML configuration. Every problem is reported as a
 * {@link ConfigException} naming the file, the line and the option.
 *
 * <pre>
 * dataDir: /var/lib/firstline-console
 * agent:
 *   bind: 0.0.0.0
 *   port: 7443
 *   maxFrameBytes: 1048576
 *   handshakeTimeout: 10s
 * http:
 *   bind: 127.0.0.1
 *   port: 8080
 * sampleInterval: 10s
 * offlineAfterIntervals: 3
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
    }

    static final class RawListen {
        @JsonProperty String bind;
        @JsonProperty Integer port;
        @JsonProperty Integer maxFrameBytes;
        @JsonProperty String handshakeTimeout;
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
            throw new ConfigException(where(name, e.getLocation()) + "bad value for '" + path(e) + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(name, e.getLocation()) + "not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " "));
        }
        if (raw == null) {
            raw = new Raw();
        }
        ConsoleConfig d = ConsoleConfig.defaults(Path.of(raw.dataDir != null ? raw.dataDir : "/var/lib/firstline-console"));
        RawListen a = raw.agent == null ? new RawListen() : raw.agent;
        RawListen h = raw.http == null ? new RawListen() : raw.http;
        if (h.maxFrameBytes != null || h.handshakeTimeout != null) {
            throw new ConfigException(name + ": options 'http.maxFrameBytes' and 'http.handshakeTimeout' belong under 'agent'");
        }
        try {
            return new ConsoleConfig(d.dataDir(),
                    new ConsoleConfig.Listen(a.bind != null ? a.bind : d.agentListen().bind(), a.port != null ? a.port : d.agentListen().port()),
                    new ConsoleConfig.Listen(h.bind != null ? h.bind : d.httpListen().bind(), h.port != null ? h.port : d.httpListen().port()),
                    duration(name, "sampleInterval", raw.sampleInterval, d.sampleInterval()),
                    raw.offlineAfterIntervals != null ? raw.offlineAfterIntervals : d.offlineAfterIntervals(),
                    a.maxFrameBytes != null ? a.maxFrameBytes : d.maxFrameBytes(),
                    duration(name, "agent.handshakeTimeout", a.handshakeTimeout, d.handshakeTimeout()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": " + e.getMessage());
        }
    }

    private static Duration duration(String file, String option, String text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": option '" + option + "': " + e.getMessage());
        }
    }

    private static String where(String name, JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? name + ": " : name + ": line " + loc.getLineNr() + ": ";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
