package io.firstline.console.metrics;

import io.firstline.console.fleet.FleetState;
import io.firstline.console.pki.ConsoleCa;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's Prometheus registry and what is bound to it: fleet gauges,
 * JVM and process metrics, and Netty's event loops and allocator. Firstline's
 * own meters are named {@code firstline_*}; JVM, process and Netty meters keep
 * the standard names ({@code jvm_*}, {@code process_*}, {@code netty_*}) that
 * existing dashboards expect.
 */
public final class ConsoleMetrics implements AutoCloseable {
    /** Content type of {@link #scrape()}: the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Keeps the output clean under {@code promtool check metrics}: drops the
     * two JVM meters whose names break its lint (process_cpu_usage and the
     * processor gauge say the same), and gives help text to Netty's meters,
     * which have none.
     */
    static final MeterFilter PROMTOOL_CLEAN = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")
                    ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            if (id.getDescription() == null || id.getDescription().isBlank()) {
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                        "Netty/JVM meter " + id.getName(), id.getType());
            }
            return id;
        }
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public ConsoleMetrics() {
        registry.config().meterFilter(PROMTOOL_CLEAN);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Binds Netty's per-event-loop metrics; all groups at once, as the binder's group-level gauges have no tags. */
    public void bindEventLoops(EventLoopGroup... groups) {
        List<EventExecutor> executors = new ArrayList<>();
        for (EventLoopGroup g : groups) {
            g.forEach(executors::add);
        }
        new NettyEventExecutorMetrics(executors).bindTo(registry);
    }

    private volatile java.util.function.BooleanSupplier storeUp = () -> true;

    /**
     * {@code firstline_store_up}: 1 while the store answers, 0 while it is
     * lost (a server store); /healthz answers 503 meanwhile.
     */
    public void bindStore(io.firstline.console.store.Store store) {
        storeUp = store::available;
        Gauge.builder("firstline.store.up", store, s -> s.available() ? 1 : 0)
                .description("1 while the console's store (" + store.dialect() + ") answers, 0 while it is lost")
                .strongReference(true).register(registry);
    }

    /** Whether the store answers now (always, for the embedded store). */
    public boolean storeAvailable() {
        return storeUp.getAsBoolean();
    }

    public void bindFleet(FleetState fleet) {
        fleetBinder(fleet).bindTo(registry);
    }

    static MeterBinder fleetBinder(FleetState fleet) {
        return r -> {
            Gauge.builder("firstline.agents.connected", fleet, FleetState::connected)
                    .description("Agents with an open connection to this console").strongReference(true).register(r);
            for (FleetState.Status s : FleetState.Status.values()) {
                Gauge.builder("firstline.agents", fleet, f -> f.count(s)).tag("status", s.name().toLowerCase(java.util.Locale.ROOT))
                        .description("Agents known to this console, by status").strongReference(true).register(r);
            }
        };
    }

    /**
     * {@code firstline_certificate_expiry_timestamp_seconds{certificate="ca|server"}}: when the
     * console's CA and its agent-link server certificate stop being valid (the server certificate
     * is renewed at start when it has less than 30 days left; the CA is not).
     */
    public void bindCertificates(ConsoleCa ca) {
        Gauge.builder("firstline.certificate.expiry.timestamp.seconds", ca, c -> c.certificate().getNotAfter().getTime() / 1000.0)
                .tag("certificate", "ca").description("When the console's certificates expire, in seconds since the epoch")
                .strongReference(true).register(registry);
        Gauge.builder("firstline.certificate.expiry.timestamp.seconds", ca, c -> c.serverCertificate().getNotAfter().getTime() / 1000.0)
                .tag("certificate", "server").description("When the console's certificates expire, in seconds since the epoch")
                .strongReference(true).register(registry);
    }

    /**
     * {@code firstline_agent_tls_provider_info{provider="openssl|jdk"}} 1: which TLS
     * implementation serves the agent port (agent.tlsProvider, and whether BoringSSL loaded).
     */
    public void bindTlsProvider(String provider) {
        Gauge.builder("firstline.agent.tls.provider.info", () -> 1).tag("provider", provider)
                .description("The TLS implementation serving the agent port: openssl (BoringSSL) or jdk").strongReference(true).register(registry);
    }

    /** The current values in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing meters at shutdown; nothing to do
            }
        }
        registry.close();
    }
}
