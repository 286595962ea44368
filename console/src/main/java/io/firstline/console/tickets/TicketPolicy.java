package io.firstline.console.tickets;

import io.firstline.rules.Severity;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How tickets behave over time: a fault that recurs within
 * {@code reopenWindow} of its ticket's resolution reopens it; a resolved
 * ticket closes after {@code closeAfter} of quiet; and per severity, SLA
 * targets for time-to-ack and time-to-resolve with escalation steps.
 */
public record TicketPolicy(Duration reopenWindow, Duration closeAfter, Map<Severity, Sla> sla) {
    /**
     * @param steps applied in order to a ticket still unacknowledged {@code after} its opening
     */
    public record Sla(Duration ackWithin, Duration resolveWithin, List<EscalationStep> steps) {
        public Sla {
            steps = List.copyOf(steps);
        }
    }

    /** Raise the escalation level by one; optionally reassign; optionally notify. */
    public record EscalationStep(Duration after, String assignTo, boolean sendNotification) {
        public EscalationStep {
            assignTo = assignTo == null ? "" : assignTo;
        }
    }

    public TicketPolicy {
        Objects.requireNonNull(reopenWindow, "reopenWindow");
        Objects.requireNonNull(closeAfter, "closeAfter");
        EnumMap<Severity, Sla> all = new EnumMap<>(Severity.class);
        all.putAll(sla);
        for (Severity s : Severity.values()) {
            if (!all.containsKey(s)) {
                throw new IllegalArgumentException("no SLA for severity " + s.label());
            }
        }
        sla = Map.copyOf(all);
    }

    public static TicketPolicy defaults() {
        return new TicketPolicy(Duration.ofHours(24), Duration.ofHours(24), Map.of(
                Severity.CRITICAL, new Sla(Duration.ofMinutes(15), Duration.ofHours(4), List.of(
                        new EscalationStep(Duration.ofMinutes(15), "", true),
                        new EscalationStep(Duration.ofMinutes(30), "oncall-lead", true))),
                Severity.WARNING, new Sla(Duration.ofHours(1), Duration.ofHours(24), List.of(
                        new EscalationStep(Duration.ofHours(1), "", true))),
                Severity.INFO, new Sla(Duration.ofHours(24), Duration.ofDays(7), List.of())));
    }

    public TicketPolicy withReopenWindow(Duration d) {
        return new TicketPolicy(d, closeAfter, sla);
    }

    public TicketPolicy withCloseAfter(Duration d) {
        return new TicketPolicy(reopenWindow, d, sla);
    }

    public TicketPolicy withSla(Severity s, Sla value) {
        EnumMap<Severity, Sla> m = new EnumMap<>(sla);
        m.put(s, value);
        return new TicketPolicy(reopenWindow, closeAfter, m);
    }
}
