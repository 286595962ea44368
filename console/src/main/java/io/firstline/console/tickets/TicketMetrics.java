package io.firstline.console.tickets;

import io.firstline.rules.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Fault and ticket metrics; labels are bounded (state, severity, event), never per agent. */
public final class TicketMetrics {
    private final MeterRegistry registry;
    private final MultiGauge byState;
    final Timer commit;

    public TicketMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.byState = MultiGauge.builder("firstline.tickets").description("Tickets by state and severity").register(registry);
        this.commit = Timer.builder("firstline.fault.commit").description("From a fault event reaching the console to its ticket committed")
                .publishPercentiles(0.5, 0.99).register(registry);
        // Present from the start at 0, so that rate() and increase() in alert rules see the first breach.
        for (String target : List.of("ack", "resolve")) {
            slaBreaches(target);
        }
    }

    private Counter slaBreaches(String target) {
        return Counter.builder("firstline.sla.breaches").description("SLA targets missed, by target (ack, resolve)")
                .tag("target", target).register(registry);
    }

    void fault(boolean raised) {
        Counter.builder("firstline.fault.events").description("Fault events applied, by kind")
                .tag("event", raised ? "raised" : "cleared").register(registry).increment();
    }

    void ticket(String event) {
        Counter.builder("firstline.ticket.events").description("Ticket lifecycle events, by kind")
                .tag("event", event).register(registry).increment();
    }

    void slaBreach(String target) {
        slaBreaches(target).increment();
    }

    void timeTo(String what, Duration d) {
        Timer.builder("firstline.ticket.time.to." + what).description("Time from a ticket opening to its " + what)
                .register(registry).record(d);
    }

    void counts(List<long[]> rows) {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        for (TicketState s : TicketState.values()) {
            for (Severity v : Severity.values()) {
                long n = rows.stream().filter(r -> r[0] == s.ordinal() && r[1] == v.ordinal()).mapToLong(r -> r[2]).sum();
                out.add(MultiGauge.Row.of(Tags.of("state", s.label(), "severity", v.label()), n));
            }
        }
        byState.register(out, true);
    }
}
