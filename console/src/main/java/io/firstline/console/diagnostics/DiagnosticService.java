package io.firstline.console.diagnostics;

import io.firstline.wire.KeyValues;
import io.firstline.console.auth.AuditLog;
import io.firstline.console.ingest.Commit;
import io.firstline.console.ingest.DiagnosticsPort;
import io.firstline.console.store.Store;
import io.firstline.console.tickets.TicketService;
import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.Allowance;
import io.firstline.diagnostics.DiagnosticLimits;
import io.firstline.diagnostics.InvalidParameter;
import io.firstline.proto.DiagnosticCapabilities;
import io.firstline.proto.DiagnosticRequest;
import io.firstline.proto.DiagnosticResult;
import io.firstline.proto.Envelope;
import io.firstline.proto.Hello;
import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's side of safe diagnostics. A request is checked in this order
 * — parameters ({@link Action#validate}), the agent known, the agent online,
 * the agent's own reported allow-list ({@link Allowance#refusal}), then the
 * rate limits — so an invalid request is always refused as invalid and
 * nothing is sent for it. An accepted one is stored (pending), sent when
 * fewer than two run on that agent (running), and finished by the agent's
 * result chunks or, if none comes, by the sweeper (timed_out). Every request
 * and every outcome goes to the audit log; one that belongs to a ticket also
 * goes onto its timeline as a {@code diagnostic} event. Commits, sends and
 * sweeps run on one thread, in order.
 */
public final class DiagnosticService implements DiagnosticsPort, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiagnosticService.class);
    /** How long past its timeout a sent request waits for a result before the console gives up on it. */
    static final Duration GRACE = Duration.ofSeconds(30);
    /** How long a request may wait to be sent (its agent went away) before it fails. */
    static final Duration PENDING_LIMIT = Duration.ofMinutes(10);
    static final Set<String> CONTENT_TYPES = Set.of("text/plain; charset=utf-8", "application/vnd.tcpdump.pcap", "application/zip");
    /** Who automatic triage acts as, in the audit log and on timelines. */
    public static final String TRIAGE = "triage";

    private final Store store;
    private final Clock clock;
    private final TicketService tickets;
    private final AuditLog audit;
    private final Predicate<String> knownAgent;
    private final RateLimits limits;
    private final Map<String, Channel> links = new ConcurrentHashMap<>();
    private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "firstline-diagnostics");
        t.setDaemon(true);
        return t;
    });

    /** A request as the API or triage makes it. {@code ticketId} 0: none; {@code timeoutMs} 0: the default. */
    public record Request(String agentId, String action, Map<String, String> params, long ticketId, long timeoutMs, String actor,
                          String remote) {
        public Request {
            params = Map.copyOf(params);
        }
    }

    public DiagnosticService(Store store, Clock clock, TicketService tickets, AuditLog audit, Predicate<String> knownAgent) {
        this(store, clock, tickets, audit, knownAgent, new RateLimits(clock, RateLimits.PER_AGENT, RateLimits.PER_USER));
    }

    DiagnosticService(Store store, Clock clock, TicketService tickets, AuditLog audit, Predicate<String> knownAgent, RateLimits limits) {
        this.store = store;
        this.clock = clock;
        this.tickets = tickets;
        this.audit = audit;
        this.knownAgent = knownAgent;
        this.limits = limits;
        thread.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
    }

    // ---- requests ---------------------------------------------------------

    /**
     * Checks and accepts a request; it is sent at once when its agent has
     * room, else as soon as it has.
     *
     * @throws Rejected with the reason (and parameter) the API answers with; audited too
     */
    public Diagnostic request(Request r) {
        long start = clock.millis();
        try {
            Action.Valid valid;
            long timeoutMs;
            try {
                valid = Action.validate(r.action(), r.params());
                timeoutMs = DiagnosticLimits.timeout(r.timeoutMs()).toMillis();
            } catch (InvalidParameter e) {
                throw new Rejected(Rejected.Reason.INVALID, e.param(), e.getMessage());
            }
            if (r.ticketId() != 0 && tickets.get(r.ticketId()).filter(t -> t.agentId().equals(r.agentId())).isEmpty()) {
                throw new Rejected(Rejected.Reason.INVALID, "ticketId", "ticket " + r.ticketId() + " is not a ticket of agent " + r.agentId());
            }
            if (!knownAgent.test(r.agentId())) {
                throw new Rejected(Rejected.Reason.UNKNOWN, "", "no agent " + r.agentId());
            }
            if (!links.containsKey(r.agentId())) {
                throw new Rejected(Rejected.Reason.OFFLINE, "", "agent " + r.agentId()
                        + " is offline; diagnostics run only on a connected agent");
            }
            Optional<InvalidParameter> refusal = allowances.getOrDefault(r.agentId(), Allowance.NONE).refusal(valid);
            if (refusal.isPresent()) {
                throw new Rejected(Rejected.Reason.INVALID, refusal.get().param(), refusal.get().getMessage());
            }
            Optional<String> limited = limits.tryAcquire(r.agentId(), r.actor().equals(TRIAGE) ? null : r.actor());
            if (limited.isPresent()) {
                throw new Rejected(Rejected.Reason.RATE_LIMITED, "", limited.get());
            }
            long id = store.write(c -> DiagnosticRepository.insert(c, r.agentId(), valid.action().wireName(), valid.params(),
                    r.ticketId(), r.actor(), Diagnostic.State.PENDING, "", timeoutMs, start));
            auditEntry(r.actor(), "diagnostic.request", r.agentId(), details(id, valid.action().wireName(), valid.params(), "accepted",
                    0, 0, r.remote()));
            if (r.ticketId() != 0) {
                timeline(r.ticketId(), r.actor(), id, valid.action().wireName(), valid.params(), Diagnostic.State.PENDING, "", false, 0);
            }
            log.info("diagnostic {} for agent {} by {}: {} {}", id, r.agentId(), r.actor(), valid.action().wireName(), valid.params());
            thread.execute(() -> dispatch(r.agentId()));
            return get(id).orElseThrow();
        } catch (Rejected e) {
            auditEntry(r.actor(), "diagnostic.request", r.agentId(), details(0, r.action(), r.params(),
                    "rejected " + e.reason().status + ": " + e.getMessage(), 0, clock.millis() - start, r.remote()));
            throw e;
        }
    }

    /** Runs {@code work} on the service's thread (automatic triage, off the thread that opened the ticket). */
    public void later(Runnable work) {
        try {
            thread.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            log.debug("diagnostics stopped; not running {}", work);
        }
    }

    /** Asks the agent to stop a request that is running; a pending one fails at once. */
    public Optional<Diagnostic> cancel(long id, String actor) {
        Optional<Diagnostic> d = get(id);
        d.ifPresent(x -> thread.execute(() -> {
            if (x.state() == Diagnostic.State.PENDING) {
                finish(x, Diagnostic.State.FAILED, "cancelled by " + actor + " before it was sent", false, "", Map.of());
            } else if (x.state() == Diagnostic.State.RUNNING) {
                Channel ch = links.get(x.agentId());
                if (ch != null) {
                    ch.writeAndFlush(Envelope.newBuilder().setDiagnosticCancel(
                            io.firstline.proto.DiagnosticCancel.newBuilder().setRequestId(id)).build(), ch.voidPromise());
                }
            }
        }));
        return d;
    }

    public Optional<Diagnostic> get(long id) {
        return store.read(c -> DiagnosticRepository.get(c, id));
    }

    /** The output as stored (text, pcap or zip bytes). */
    public byte[] output(long id) {
        return store.read(c -> DiagnosticRepository.output(c, id));
    }

    public List<Diagnostic> recent(String agentId, int limit) {
        return store.read(c -> DiagnosticRepository.byAgent(c, agentId, limit));
    }

    public List<Diagnostic> forTicket(long ticketId) {
        return store.read(c -> DiagnosticRepository.byTicket(c, ticketId));
    }

    /** What the agent reported it allows; {@link Allowance#NONE} when it is not connected here. */
    public Allowance allowance(String agentId) {
        return links.containsKey(agentId) ? allowances.getOrDefault(agentId, Allowance.NONE) : Allowance.NONE;
    }

    public boolean online(String agentId) {
        return links.containsKey(agentId);
    }

    /** Sends the agent's oldest pending requests while fewer than two of its requests run. On the service's thread. */
    private void dispatch(String agentId) {
        try {
            Channel ch = links.get(agentId);
            if (ch == null) {
                return;
            }
            List<Diagnostic> running = store.read(c -> DiagnosticRepository.inState(c, agentId, Diagnostic.State.RUNNING));
            List<Diagnostic> pending = store.read(c -> DiagnosticRepository.inState(c, agentId, Diagnostic.State.PENDING));
            int room = DiagnosticLimits.MAX_CONCURRENT - running.size();
            for (Diagnostic d : pending.subList(0, Math.max(0, Math.min(room, pending.size())))) {
                long now = clock.millis();
                store.write(c -> {
                    DiagnosticRepository.started(c, d.id(), now);
                    return null;
                });
                ch.writeAndFlush(Envelope.newBuilder().setDiagnosticRequest(DiagnosticRequest.newBuilder().setRequestId(d.id())
                        .setAction(d.action()).addAllParams(KeyValues.of(d.params())).setTimeoutMs((int) d.timeoutMs())).build(), ch.voidPromise());
                log.debug("diagnostic {} sent to agent {}", d.id(), agentId);
            }
        } catch (RuntimeException e) {
            log.warn("could not send diagnostics to agent {}: {}", agentId, e.toString());
        }
    }

    // ---- the agent link -----------------------------------------------------

    @Override
    public void connected(String agentId, Hello hello, Channel channel) {
        allowances.put(agentId, hello.hasDiagnostics() ? Allowance.of(hello.getDiagnostics()) : Allowance.NONE);
        links.put(agentId, channel);
        thread.execute(() -> dispatch(agentId));
    }

    @Override
    public void capabilities(String agentId, DiagnosticCapabilities capabilities) {
        allowances.put(agentId, Allowance.of(capabilities));
        log.info("agent {} now allows diagnostics {}", agentId, capabilities.getEnabled() ? capabilities.getActionsList() : "none (off)");
    }

    @Override
    public void disconnected(String agentId, Channel channel) {
        links.remove(agentId, channel);
    }

    @Override
    public CompletableFuture<Commit> result(String agentId, long bootEpoch, long sequence, DiagnosticResult r) {
        return CompletableFuture.supplyAsync(() -> commit(agentId, r), thread);
    }

    /** Stores one chunk; the last one finishes the request. Too much output is cut and marked, never refused. */
    private Commit commit(String agentId, DiagnosticResult r) {
        Optional<Diagnostic> found = r.getRequestId() <= 0 ? Optional.empty() : get(r.getRequestId());
        if (found.isEmpty() || !found.get().agentId().equals(agentId) || found.get().state() == Diagnostic.State.PENDING) {
            log.info("agent {} sent a result for request {}, which it was never sent", agentId, r.getRequestId());
            return Commit.INVALID_FIELD;
        }
        Diagnostic d = found.get();
        if (d.state().finished() && d.finishedAtMs() > 0 && !(d.state() == Diagnostic.State.TIMED_OUT && d.message().startsWith(NO_RESULT))) {
            return Commit.DUPLICATE;
        }
        Action action = Action.of(d.action()).orElse(Action.TCP_CONNECT);
        int maxChunks = (DiagnosticLimits.cap(action) + DiagnosticLimits.CHUNK_BYTES - 1) / DiagnosticLimits.CHUNK_BYTES;
        byte[] data = r.getData().toByteArray();
        boolean cut = data.length > DiagnosticLimits.CHUNK_BYTES || r.getChunk() >= maxChunks || r.getChunk() < 0;
        store.write(c -> {
            if (r.getChunk() >= 0 && r.getChunk() < maxChunks && data.length > 0) {
                DiagnosticRepository.chunk(c, d.id(), r.getChunk(),
                        data.length > DiagnosticLimits.CHUNK_BYTES ? java.util.Arrays.copyOf(data, DiagnosticLimits.CHUNK_BYTES) : data);
            }
            if (cut) {
                DiagnosticRepository.markTruncated(c, d.id());
            }
            return null;
        });
        if (r.getLast()) {
            Diagnostic.State state = switch (r.getOutcome()) {
                case DONE -> Diagnostic.State.DONE;
                case REFUSED -> Diagnostic.State.REFUSED;
                case TIMED_OUT -> Diagnostic.State.TIMED_OUT;
                default -> Diagnostic.State.FAILED;
            };
            String message = clip(io.firstline.text.PlainText.oneLine(r.getMessage()), 1024);
            if (r.getOutcome() == DiagnosticResult.Outcome.UNSUPPORTED) {
                message = "unsupported on this agent: " + message;
            } else if (r.getOutcome() == DiagnosticResult.Outcome.CANCELLED) {
                message = "cancelled: " + message;
            }
            Map<String, String> summary = new LinkedHashMap<>();
            KeyValues.toMap(r.getSummaryList()).entrySet().stream().limit(32).forEach(e -> summary.put(clip(io.firstline.text.PlainText.oneLine(e.getKey()), 64),
                    clip(io.firstline.text.PlainText.oneLine(e.getValue()), 256)));
            String type = CONTENT_TYPES.contains(r.getContentType()) ? r.getContentType() : "text/plain; charset=utf-8";
            boolean truncated = r.getTruncated() || cut || get(d.id()).map(Diagnostic::truncated).orElse(false);
            finish(d, state, message, truncated, type, summary);
        }
        return Commit.APPLIED;
    }

    private static final String NO_RESULT = "no result from the agent";

    /** Records the outcome, audits it, puts it on the ticket's timeline, and sends the agent's next request. */
    private void finish(Diagnostic d, Diagnostic.State state, String message, boolean truncated, String contentType,
                        Map<String, String> summary) {
        long now = clock.millis();
        store.write(c -> {
            DiagnosticRepository.finished(c, d.id(), state, message, truncated, contentType, summary, now);
            return null;
        });
        Diagnostic done = get(d.id()).orElseThrow();
        long took = now - (d.startedAtMs() > 0 ? d.startedAtMs() : d.createdAtMs());
        auditEntry(d.requestedBy(), "diagnostic.result", d.agentId(), details(d.id(), d.action(), d.params(), state.label()
                + (message.isEmpty() ? "" : ": " + message), done.bytes(), took, ""));
        if (d.ticketId() != 0) {
            timeline(d.ticketId(), d.requestedBy(), d.id(), d.action(), d.params(), state, message, truncated, done.bytes());
        }
        log.info("diagnostic {} of agent {} {}: {} bytes in {} ms{}", d.id(), d.agentId(), state.label(), done.bytes(), took,
                message.isEmpty() ? "" : ": " + message);
        dispatch(d.agentId());
    }

    /** Requests sent long ago with no result (the agent restarted, say) time out; pending ones whose agent never came back fail. */
    private void sweep() {
        try {
            long now = clock.millis();
            for (Diagnostic d : store.read(c -> DiagnosticRepository.inState(c, Diagnostic.State.RUNNING, 500))) {
                if (d.startedAtMs() + d.timeoutMs() + GRACE.toMillis() < now) {
                    finish(d, Diagnostic.State.TIMED_OUT, NO_RESULT + " within " + (d.timeoutMs() + GRACE.toMillis()) / 1000 + " s",
                            false, "", Map.of());
                }
            }
            for (Diagnostic d : store.read(c -> DiagnosticRepository.inState(c, Diagnostic.State.PENDING, 500))) {
                if (d.createdAtMs() + PENDING_LIMIT.toMillis() < now) {
                    finish(d, Diagnostic.State.FAILED, "never sent: the agent did not come back within "
                            + PENDING_LIMIT.toMinutes() + " minutes", false, "", Map.of());
                }
            }
        } catch (RuntimeException e) {
            log.warn("diagnostics sweep failed: {}", e.toString());
        }
    }

    private void timeline(long ticketId, String actor, long id, String action, Map<String, String> params, Diagnostic.State state,
                          String message, boolean truncated, long bytes) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("diagnosticId", id);
        detail.put("action", action);
        detail.put("params", new java.util.TreeMap<>(params));
        detail.put("state", state.label());
        if (!message.isEmpty()) {
            detail.put("message", message);
        }
        if (state.finished()) {
            detail.put("bytes", bytes);
            detail.put("truncated", truncated);
        }
        try {
            tickets.diagnosticEvent(ticketId, actor, detail);
        } catch (RuntimeException e) {
            log.warn("cannot add diagnostic {} to the timeline of ticket {}: {}", id, ticketId, e.toString());
        }
    }

    private static Map<String, Object> details(long id, String action, Map<String, String> params, String outcome, long bytes,
                                               long durationMs, String remote) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (id > 0) {
            m.put("diagnosticId", id);
        }
        m.put("action", clip(String.valueOf(action), 64));
        Map<String, String> p = new java.util.TreeMap<>();
        params.entrySet().stream().limit(16).forEach(e -> p.put(clip(e.getKey(), 64), clip(e.getValue(), 256)));
        m.put("params", p);
        m.put("outcome", outcome);
        m.put("bytes", bytes);
        m.put("durationMs", durationMs);
        if (!remote.isEmpty()) {
            m.put("remote", remote);
        }
        return m;
    }

    private void auditEntry(String actor, String action, String agentId, Map<String, Object> detail) {
        try {
            audit.recordDetail(actor, action, "agent " + agentId, detail);
        } catch (RuntimeException e) {
            log.error("cannot write the audit log for {} by {}", action, actor, e);
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
