package io.firstline.console.tickets;

import io.firstline.console.ingest.Commit;
import io.firstline.console.ingest.VoicePort;
import io.firstline.proto.Envelope;
import io.firstline.proto.TicketStatus;
import io.firstline.proto.UserReport;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the user's voice to the agent link: commits user reports (their
 * tickets) on its own thread, in arrival order, without blocking a network
 * thread, and pushes each connected agent its machine's ticket status after
 * the Welcome and whenever one of its tickets changes (a reply, a state
 * change, a new ticket). Pushes for one agent coalesce while one is queued.
 */
public final class VoiceIntake implements VoicePort, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoiceIntake.class);

    private final UserTickets tickets;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "firstline-voice");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Channel> links = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    public VoiceIntake(TicketService service) {
        this.tickets = new UserTickets(service);
        service.onChange(this::push);
    }

    public UserTickets tickets() {
        return tickets;
    }

    @Override
    public CompletableFuture<Commit> report(String agentId, long bootEpoch, long sequence, UserReport report) {
        if (!UserTickets.valid(report)) {
            return CompletableFuture.completedFuture(Commit.INVALID_FIELD);
        }
        return CompletableFuture.supplyAsync(() -> tickets.apply(agentId, bootEpoch, sequence, report).map(t -> {
            log.info("user {} of agent {} reported a problem: ticket {}", report.getUser(), agentId, t.id());
            return Commit.APPLIED;
        }).orElseGet(() -> {
            log.debug("user report {} of agent {} was already applied", report.getReportId(), agentId);
            return Commit.DUPLICATE;
        }), thread);
    }

    @Override
    public void connected(String agentId, Channel channel) {
        links.put(agentId, channel);
        push(agentId);
    }

    @Override
    public void disconnected(String agentId, Channel channel) {
        links.computeIfPresent(agentId, (k, c) -> c == channel ? null : c);
    }

    /** Sends {@code agentId} its ticket status soon, if it is connected here. */
    void push(String agentId) {
        if (!links.containsKey(agentId) || !queued.add(agentId)) {
            return;
        }
        try {
            thread.execute(() -> {
                queued.remove(agentId);
                Channel ch = links.get(agentId);
                if (ch == null || !ch.isActive()) {
                    return;
                }
                try {
                    TicketStatus status = tickets.status(agentId);
                    ch.writeAndFlush(Envelope.newBuilder().setTicketStatus(status).build(), ch.voidPromise());
                } catch (RuntimeException e) {
                    log.warn("could not send agent {} its ticket status", agentId, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            queued.remove(agentId);
        }
    }

    /** Waits for queued reports to commit, then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("user reports still queued at shutdown; agents will send them again");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
