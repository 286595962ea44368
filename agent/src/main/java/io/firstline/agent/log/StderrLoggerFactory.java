package io.firstline.agent.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** Makes one {@link StderrLogger} per name, with its level decided once. */
final class StderrLoggerFactory implements ILoggerFactory {
    private static final List<String> QUIET = List.of("io.netty", "oshi");

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final List<String> debugPrefixes = new ArrayList<>();

    StderrLoggerFactory(String debug) {
        for (String p : debug.split(",")) {
            if (!p.isBlank()) {
                debugPrefixes.add(p.strip());
            }
        }
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new StderrLogger(n, levelOf(n)));
    }

    Level levelOf(String name) {
        for (String p : debugPrefixes) {
            if (name.startsWith(p)) {
                return Level.DEBUG;
            }
        }
        for (String q : QUIET) {
            if (name.startsWith(q)) {
                return Level.WARN;
            }
        }
        return Level.INFO;
    }
}
