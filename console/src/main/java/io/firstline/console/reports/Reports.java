package io.firstline.console.reports;

import io.firstline.console.store.Store;
import java.time.Clock;
import java.util.List;

/**
 * The reports, read from the store at the moment they are asked for (a
 * report over 90 days of tickets reads both periods once; nothing is
 * precomputed, so a report is never stale). Time comes from the injected clock.
 */
public final class Reports {
    private final Store store;
    private final Clock clock;

    public Reports(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** The service report over the {@code days} days up to now. */
    public ServiceReport.Report service(int days) {
        Period p = Period.ending(clock.instant(), days);
        List<String> kinds = new java.util.ArrayList<>(ServiceReport.RAISES);
        kinds.addAll(ServiceReport.CLEARS);
        return store.read(c -> ServiceReport.compute(ReportRepository.openedBetween(c, p.from(), p.to()),
                ReportRepository.eventsBetween(c, p.from().minus(ServiceReport.FLAP_WINDOW), p.to(), kinds), p));
    }

    /** The common-problems report over the {@code days} days up to now. */
    public CommonProblems.Report commonProblems(int days, CommonProblems.Query q) {
        return store.read(c -> commonProblems(c, days, q));
    }

    /** The same, inside the caller's transaction. */
    CommonProblems.Report commonProblems(java.sql.Connection c, int days, CommonProblems.Query q) throws java.sql.SQLException {
        Period p = Period.ending(clock.instant(), days);
        List<ReportTicket> tickets = ReportRepository.openedBetween(c, p.previousFrom(), p.to());
        return CommonProblems.compute(tickets, p, q);
    }
}
