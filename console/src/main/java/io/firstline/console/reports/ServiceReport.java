package io.firstline.console.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The service report (docs/reports.md): how well support answered the
 * tickets of a period. Time to acknowledge and to resolve by severity, site
 * and assignee; SLA breach rate; the share resolved automatically; the
 * reopen rate; escalations; the noisiest rules (raises and flaps); the
 * machines with the most tickets. Pure: computed from the period's tickets
 * and timeline entries, so it is tested with fixtures.
 */
public final class ServiceReport {
    /** A raise that follows a clear of the same ticket within this long is a flap. */
    public static final Duration FLAP_WINDOW = Duration.ofHours(1);
    /** How many noisiest rules and busiest machines the report lists. */
    public static final int TOP = 10;
    /** Timeline entries that mean "the fault is there (again)". */
    static final List<String> RAISES = List.of("raised", "reopened", "fault_raised", "recurred");
    /** Timeline entries that mean "the fault went away". */
    static final List<String> CLEARS = List.of("resolved", "fault_cleared");

    /** Count, mean, p50 and p90 of durations in seconds; the figures are null for no values. */
    public record Durations(int count, Double meanSeconds, Double p50Seconds, Double p90Seconds) {
        static Durations of(List<Double> seconds) {
            return new Durations(seconds.size(), Stats.mean(seconds), Stats.percentile(seconds, 50), Stats.percentile(seconds, 90));
        }
    }

    /** One group of a breakdown (a severity, a site, an assignee: empty = none) with its tickets and times. */
    public record Group(String key, int tickets, Durations toAcknowledge, Durations toResolve) {
    }

    public record Breakdown(Group all, List<Group> bySeverity, List<Group> bySite, List<Group> byAssignee) {
    }

    /** A rule's noise in the period: raises (openings, reopenings, raises again, repeats) and how many were flaps. */
    public record NoisyRule(String rule, int raises, int flaps, int tickets, int machines) {
    }

    public record BusyMachine(String agentId, String hostname, String site, int tickets) {
    }

    public record Report(Period period, int tickets, int acknowledged, int resolved, Breakdown times, int ackBreaches,
                         int resolveBreaches, int breached, Double slaBreachRate, int resolvedAutomatically,
                         Double autoResolvedShare, int reopened, Double reopenRate, int escalations,
                         List<NoisyRule> noisiestRules, List<BusyMachine> busiestMachines) {
    }

    private ServiceReport() {
    }

    /**
     * @param tickets the tickets opened in the period
     * @param events  timeline entries of kinds {@link #RAISES} and {@link #CLEARS} made from {@link #FLAP_WINDOW}
     *                before the period to its end, in order
     */
    static Report compute(List<ReportTicket> tickets, List<ReportRepository.Event> events, Period period) {
        List<ReportTicket> mine = tickets.stream().filter(t -> period.contains(t.openedAt())).toList();
        int acked = 0;
        int resolved = 0;
        int ackBreaches = 0;
        int resolveBreaches = 0;
        int breached = 0;
        int auto = 0;
        int reopened = 0;
        int escalations = 0;
        Map<String, BusyMachine> machines = new HashMap<>();
        for (ReportTicket t : mine) {
            acked += t.ackedAt() != null ? 1 : 0;
            resolved += t.resolvedAt() != null ? 1 : 0;
            ackBreaches += t.slaAckBreached() ? 1 : 0;
            resolveBreaches += t.slaResolveBreached() ? 1 : 0;
            breached += t.slaAckBreached() || t.slaResolveBreached() ? 1 : 0;
            auto += t.resolvedAutomatically() ? 1 : 0;
            reopened += t.reopened() ? 1 : 0;
            escalations += t.escalations();
            if (!t.agentId().isEmpty()) {
                machines.merge(t.agentId(), new BusyMachine(t.agentId(), t.hostname(), t.site(), 1),
                        (a, b) -> new BusyMachine(a.agentId(), b.hostname().isEmpty() ? a.hostname() : b.hostname(),
                                b.site().isEmpty() ? a.site() : b.site(), a.tickets() + 1));
            }
        }
        Breakdown times = new Breakdown(group("", mine), breakdown(mine, ReportTicket::severity),
                breakdown(mine, ReportTicket::site), breakdown(mine, ReportTicket::assignee));
        List<BusyMachine> busiest = machines.values().stream()
                .sorted(Comparator.comparingInt(BusyMachine::tickets).reversed().thenComparing(BusyMachine::hostname)
                        .thenComparing(BusyMachine::agentId)).limit(TOP).toList();
        return new Report(period, mine.size(), acked, resolved, times, ackBreaches, resolveBreaches, breached,
                Stats.ratio(breached, mine.size()), auto, Stats.ratio(auto, resolved), reopened, Stats.ratio(reopened, mine.size()),
                escalations, noisiest(events, period), busiest);
    }

    private static List<Group> breakdown(List<ReportTicket> tickets, Function<ReportTicket, String> key) {
        Map<String, List<ReportTicket>> by = new TreeMap<>();
        for (ReportTicket t : tickets) {
            by.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
        }
        List<Group> out = new ArrayList<>();
        by.forEach((k, list) -> out.add(group(k, list)));
        return out;
    }

    private static Group group(String key, List<ReportTicket> tickets) {
        List<Double> ack = new ArrayList<>();
        List<Double> resolve = new ArrayList<>();
        for (ReportTicket t : tickets) {
            if (t.secondsToAck() != null) {
                ack.add(t.secondsToAck());
            }
            if (t.secondsToResolve() != null) {
                resolve.add(t.secondsToResolve());
            }
        }
        return new Group(key, tickets.size(), Durations.of(ack), Durations.of(resolve));
    }

    private static final class Noise {
        int raises;
        int flaps;
        final Set<Long> tickets = new HashSet<>();
        final Set<String> machines = new HashSet<>();
    }

    /** Raises per rule in the period, and the flaps among them: a raise within {@link #FLAP_WINDOW} of the same ticket's last clear. */
    static List<NoisyRule> noisiest(List<ReportRepository.Event> events, Period period) {
        Map<Long, Instant> lastClear = new HashMap<>();
        Map<String, Noise> rules = new HashMap<>();
        for (ReportRepository.Event e : events) {
            if (CLEARS.contains(e.kind())) {
                lastClear.put(e.ticketId(), e.at());
                continue;
            }
            if (!RAISES.contains(e.kind()) || !period.contains(e.at())) {
                continue;
            }
            Noise n = rules.computeIfAbsent(e.ruleId(), k -> new Noise());
            n.raises++;
            n.tickets.add(e.ticketId());
            if (!e.agentId().isEmpty()) {
                n.machines.add(e.agentId());
            }
            Instant cleared = lastClear.get(e.ticketId());
            if (cleared != null && !e.kind().equals("raised") && Duration.between(cleared, e.at()).compareTo(FLAP_WINDOW) <= 0) {
                n.flaps++;
            }
        }
        return rules.entrySet().stream()
                .map(x -> new NoisyRule(x.getKey(), x.getValue().raises, x.getValue().flaps, x.getValue().tickets.size(),
                        x.getValue().machines.size()))
                .sorted(Comparator.comparingInt(NoisyRule::raises).reversed().thenComparing(Comparator.comparingInt(NoisyRule::flaps).reversed())
                        .thenComparing(NoisyRule::rule))
                .limit(TOP).toList();
    }
}
