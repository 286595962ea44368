package io.firstline.agent.voice;

import io.firstline.proto.Envelope;
import io.firstline.proto.FaultCleared;
import io.firstline.proto.FaultRaised;
import io.firstline.proto.RecentEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * The agent's fault events of the last hour (at most {@value #MAX}), for the
 * reports users make: what the agent saw before the user noticed. Thread-safe.
 */
public final class RecentEvents {
    static final int MAX = 200;
    static final Duration KEPT = Duration.ofHours(1);

    private final Clock clock;
    private final ArrayDeque<RecentEvent> events = new ArrayDeque<>();

    public RecentEvents(Clock clock) {
        this.clock = clock;
    }

    /** Notes {@code message} if it is a fault event; anything else is ignored. */
    public void record(Envelope.Builder message) {
        RecentEvent e = switch (message.getBodyCase()) {
            case FAULT_RAISED -> raised(message.getFaultRaised());
            case FAULT_CLEARED -> cleared(message.getFaultCleared());
            default -> null;
        };
        if (e != null) {
            synchronized (this) {
                events.addLast(e);
                while (events.size() > MAX) {
                    events.pollFirst();
                }
            }
        }
    }

    private RecentEvent raised(FaultRaised r) {
        String on = r.getFault().getResource().isEmpty() ? "" : " on " + r.getFault().getResource();
        return RecentEvent.newBuilder().setAtMs(r.getRaisedMs() == 0 ? clock.millis() : r.getRaisedMs()).setKind("fault_raised")
                .setText(String.format(Locale.ROOT, "%s%s: %s = %s (threshold %s)", r.getFault().getRuleId(), on, r.getMetric(),
                        number(r.getValue()), number(r.getThreshold()))).build();
    }

    private RecentEvent cleared(FaultCleared c) {
        String on = c.getFault().getResource().isEmpty() ? "" : " on " + c.getFault().getResource();
        return RecentEvent.newBuilder().setAtMs(c.getClearedMs() == 0 ? clock.millis() : c.getClearedMs()).setKind("fault_cleared")
                .setText(String.format(Locale.ROOT, "%s%s: %s, value %s", c.getFault().getRuleId(), on,
                        c.getReason().isEmpty() ? "cleared" : c.getReason(), number(c.getValue()))).build();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** The events of the last hour, oldest first. */
    public synchronized List<RecentEvent> lastHour() {
        long since = clock.millis() - KEPT.toMillis();
        while (!events.isEmpty() && events.peekFirst().getAtMs() < since) {
            events.pollFirst();
        }
        return List.copyOf(events);
    }
}
