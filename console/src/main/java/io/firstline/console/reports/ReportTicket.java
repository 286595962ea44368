package io.firstline.console.reports;

import java.time.Instant;
import java.util.Objects;

/**
 * One ticket as the reports see it: where it came from, the machine it was
 * about as it was when it opened (OS, hardware, agent version, site), and the
 * times and events of its lifecycle. {@code cycleStartedAt} is its opening,
 * or its latest reopening. Nullable: ackedAt, resolvedAt (null while it is
 * not acknowledged or resolved in its latest cycle). {@code
 * resolvedAutomatically}: its last resolution was the console's (the fault
 * cleared) or the alerting system's, not a person's.
 */
public record ReportTicket(long id, String agentId, String hostname, String ruleId, String source, String severity,
                           String site, String osFamily, String osVersion, String hardware, String agentVersion,
                           String assignee, Instant openedAt, Instant cycleStartedAt, Instant ackedAt, Instant resolvedAt,
                           int recurrences, boolean linkedToPrevious, boolean reopened, boolean slaAckBreached,
                           boolean slaResolveBreached, int escalations, boolean resolvedAutomatically) {
    public ReportTicket {
        Objects.requireNonNull(openedAt, "openedAt");
        cycleStartedAt = cycleStartedAt == null || cycleStartedAt.isBefore(openedAt) ? openedAt : cycleStartedAt;
        agentId = nonNull(agentId);
        hostname = nonNull(hostname);
        ruleId = nonNull(ruleId);
        source = nonNull(source);
        severity = nonNull(severity);
        site = nonNull(site);
        osFamily = nonNull(osFamily);
        osVersion = nonNull(osVersion);
        hardware = nonNull(hardware);
        agentVersion = nonNull(agentVersion);
        assignee = nonNull(assignee);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** OS family and version as one label ("Debian GNU/Linux 12 (bookworm)"); empty when unknown. */
    public String os() {
        return (osFamily + " " + osVersion).strip();
    }

    /** Whether it came back: reopened after a resolution, repeated while raised, or opened as the next ticket of its fault. */
    public boolean recurred() {
        return reopened || recurrences > 0 || linkedToPrevious;
    }

    /** Seconds from the start of its latest cycle to its acknowledgement, or null. */
    public Double secondsToAck() {
        return ackedAt == null ? null : Math.max(0, java.time.Duration.between(cycleStartedAt, ackedAt).toMillis()) / 1000.0;
    }

    /** Seconds from the start of its latest cycle to its resolution, or null. */
    public Double secondsToResolve() {
        return resolvedAt == null ? null : Math.max(0, java.time.Duration.between(cycleStartedAt, resolvedAt).toMillis()) / 1000.0;
    }
}
