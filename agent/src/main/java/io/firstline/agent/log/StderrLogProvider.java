package io.firstline.agent.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The standalone agent's SLF4J backend: one line per event on stderr. The
 * agent logs little, and Logback's configuration machinery alone loads about
 * 650 classes (some 5 MB of the agent's resident memory, measured in
 * docs/benchmarks.md). {@code AgentMain} selects this provider through the
 * {@code slf4j.provider} system property, so embedding the agent elsewhere
 * (the console's tests and demo) keeps that program's logging; set
 * {@code -Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider}
 * to get Logback back.
 *
 * <p>Levels: INFO by default, WARN for {@code io.netty} and {@code oshi};
 * {@code -Dfirstline.log.debug=PREFIX[,PREFIX...]} turns on DEBUG for
 * loggers whose names start with a prefix.
 */
public final class StderrLogProvider implements SLF4JServiceProvider {
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private ILoggerFactory factory;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        factory = new StderrLoggerFactory(System.getProperty("firstline.log.debug", ""));
    }
}
