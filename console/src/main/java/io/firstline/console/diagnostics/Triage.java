package io.firstline.console.diagnostics;

import io.firstline.console.rules.DiagnoseStep;
import io.firstline.console.tickets.Ticket;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic triage: when a fault opens (or reopens) a ticket, the
 * diagnostics its rule names ({@code diagnose:} in the rules file) are
 * requested for that ticket, as {@value DiagnosticService#TRIAGE}, so their
 * results are on its timeline before an engineer looks. A step the agent
 * would refuse (or an offline agent) is put on the timeline as refused with
 * the reason, so the gap is visible too.
 */
public final class Triage {
    private static final Logger log = LoggerFactory.getLogger(Triage.class);

    private final DiagnosticService diagnostics;
    private final Function<String, List<DiagnoseStep>> steps;
    private final io.firstline.console.tickets.TicketService tickets;

    /** @param steps a rule id to the diagnostics it names (the rules file as loaded now) */
    public Triage(DiagnosticService diagnostics, io.firstline.console.tickets.TicketService tickets,
                  Function<String, List<DiagnoseStep>> steps) {
        this.diagnostics = diagnostics;
        this.steps = steps;
        this.tickets = tickets;
    }

    /** A ticket was opened by a fault: requests its rule's diagnostics. */
    public void opened(Ticket t) {
        List<DiagnoseStep> todo = steps.apply(t.ruleId());
        for (DiagnoseStep s : todo) {
            Map<String, String> params = s.params(t.resource());
            try {
                Diagnostic d = diagnostics.request(new DiagnosticService.Request(t.agentId(), s.action(), params, t.id(), 0,
                        DiagnosticService.TRIAGE, ""));
                log.info("triage of ticket {} ({}): diagnostic {} {}", t.id(), t.ruleId(), d.id(), s.action());
            } catch (Rejected e) {
                log.info("triage of ticket {} ({}): {} not run: {}", t.id(), t.ruleId(), s.action(), e.getMessage());
                Map<String, Object> detail = new java.util.LinkedHashMap<>();
                detail.put("action", s.action());
                detail.put("params", new java.util.TreeMap<>(params));
                detail.put("state", Diagnostic.State.REFUSED.label());
                detail.put("message", "not run: " + e.getMessage());
                tickets.diagnosticEvent(t.id(), DiagnosticService.TRIAGE, detail);
            } catch (RuntimeException e) {
                log.warn("triage of ticket {} failed", t.id(), e);
            }
        }
    }
}
