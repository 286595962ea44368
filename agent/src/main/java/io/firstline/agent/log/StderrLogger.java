package io.firstline.agent.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Writes "time LEVEL [thread] Logger - message" lines, and stack traces, to stderr. */
final class StderrLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final Level level;
    private final String shortName;

    StderrLogger(String name, Level level) {
        this.name = name;
        this.level = level;
        this.shortName = name.substring(name.lastIndexOf('.') + 1);
    }

    private boolean enabled(Level l) {
        return l.toInt() >= level.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level l, Marker marker, String pattern, Object[] args, Throwable t) {
        String message = MessageFormatter.basicArrayFormat(pattern, args);
        String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + String.format("%-5s", l) + " [" + Thread.currentThread().getName() + "] " + shortName + " - "
                + message;
        PrintStream err = System.err;
        synchronized (err) {
            err.println(line);
            if (t != null) {
                t.printStackTrace(err);
            }
        }
    }
}
