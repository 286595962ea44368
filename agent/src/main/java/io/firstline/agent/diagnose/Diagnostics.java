package io.firstline.agent.diagnose;

import io.firstline.wire.KeyValues;
import com.google.protobuf.ByteString;
import io.firstline.agent.collect.HostProbe;
import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.Allowance;
import io.firstline.diagnostics.DiagnosticLimits;
import io.firstline.diagnostics.InvalidParameter;
import io.firstline.proto.DiagnosticCapabilities;
import io.firstline.proto.DiagnosticRequest;
import io.firstline.proto.DiagnosticResult;
import io.firstline.proto.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of safe diagnostics. The agent decides: every request is
 * checked again here, whatever the console sent — a known action, valid
 * parameters ({@link Action#validate}), and this agent's own allow-list from
 * its config ({@link Allowance#refusal}) — and refused otherwise. At most
 * {@value DiagnosticLimits#MAX_CONCURRENT} run at once (more are refused),
 * each within its timeout (10 s by default, 60 s at most) and output cap
 * (256 KiB, marked truncated). The result goes back as sequenced
 * {@link DiagnosticResult} chunks of at most 64 KiB through {@code send}
 * (the outbox and its disk spool). Every request is logged.
 */
public final class Diagnostics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Diagnostics.class);

    private final DiagnosticsConfig config;
    private final Consumer<Envelope.Builder> send;
    private final Clock clock;
    private final Map<Action, ActionRunner> runners = new EnumMap<>(Action.class);
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "firstline-diagnose");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "firstline-diagnose-timer");
        t.setDaemon(true);
        return t;
    });

    /** One request in progress: its outcome is decided once, by the action, its timeout, or a cancel. */
    private static final class Running {
        final AtomicBoolean decided = new AtomicBoolean();
        volatile Future<?> future;
    }

    public Diagnostics(DiagnosticsConfig config, HostProbe probe, Consumer<Envelope.Builder> send, Clock clock) {
        this.config = config;
        this.send = send;
        this.clock = clock;
        HostTables host = new HostTables(probe);
        runners.put(Action.TCP_CONNECT, NetActions::tcpConnect);
        runners.put(Action.DNS_LOOKUP, NetActions::dnsLookup);
        runners.put(Action.PING, NetActions::ping);
        runners.put(Action.HTTP_CHECK, NetActions::httpCheck);
        runners.put(Action.DISK_USAGE, DiskUsage::run);
        runners.put(Action.LOG_TAIL, LogActions::logTail);
        runners.put(Action.KERNEL_LOG, LogActions::kernelLog);
        runners.put(Action.TOP_PROCESSES, host::topProcesses);
        runners.put(Action.INTERFACES, host::interfaces);
        runners.put(Action.ROUTES, ProcNet::routes);
        runners.put(Action.CONNECTIONS, ProcNet::connections);
        runners.put(Action.SERVICE_STATUS, HostTables::serviceStatus);
        runners.put(Action.MOUNTS, host::mounts);
        runners.put(Action.PACKET_CAPTURE, PacketCapture::run);
        runners.put(Action.BUNDLE, new Bundle(runners));
    }

    /** What this agent allows, for its Hello and whenever it changes. */
    public DiagnosticCapabilities capabilities() {
        return config.allowance().toProto();
    }

    /** A request from the console: checked, then run in the background (or refused at once). */
    public void request(DiagnosticRequest r) {
        long id = r.getRequestId();
        long started = clock.millis();
        Action.Valid valid;
        Duration timeout;
        try {
            valid = check(r, config.allowance());
            timeout = DiagnosticLimits.timeout(r.getTimeoutMs());
        } catch (InvalidParameter e) {
            log.warn("diagnostic {} refused: {} {} — {}", id, clip(r.getAction()), clip(KeyValues.toMap(r.getParamsList()).toString()), e.getMessage());
            finish(id, DiagnosticResult.Outcome.REFUSED, e.getMessage(), null, started);
            return;
        }
        Running job = new Running();
        synchronized (running) {
            if (running.containsKey(id)) {
                log.warn("diagnostic {} refused: already running", id);
                return;
            }
            if (running.size() >= DiagnosticLimits.MAX_CONCURRENT) {
                log.warn("diagnostic {} refused: {} already running", id, running.size());
                finish(id, DiagnosticResult.Outcome.REFUSED, DiagnosticLimits.MAX_CONCURRENT
                        + " diagnostics are running on this agent already; try again when one has finished", null, started);
                return;
            }
            running.put(id, job);
        }
        log.info("diagnostic {} started: {} {} (timeout {} s)", id, valid.action().wireName(), valid.params(), timeout.toSeconds());
        long deadline = System.nanoTime() + timeout.toNanos();
        CappedOutput out = new CappedOutput(DiagnosticLimits.cap(valid.action()));
        Job work = new Job(valid, config.allowance(), config, deadline);
        job.future = workers.submit(() -> execute(id, job, work, out, started));
        timer.schedule(() -> {
            if (job.decided.compareAndSet(false, true)) {
                job.future.cancel(true);
                done(id, DiagnosticResult.Outcome.TIMED_OUT, "did not finish within " + timeout.toSeconds() + " s", out, started);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The agent's own check of a request, whatever the console checked: a
     * positive id, a known action, valid parameters, a timeout within the
     * limit, and this agent's allow-list.
     *
     * @throws InvalidParameter naming the parameter at fault
     */
    public static Action.Valid check(DiagnosticRequest r, Allowance allowance) {
        if (r.getRequestId() <= 0) {
            throw new InvalidParameter("request_id", "request id must be positive");
        }
        Action.Valid valid = Action.validate(r.getAction(), KeyValues.toMap(r.getParamsList()));
        DiagnosticLimits.timeout(r.getTimeoutMs());
        Optional<InvalidParameter> refusal = allowance.refusal(valid);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
        return valid;
    }

    /** The console asked to stop a request; its result says CANCELLED. */
    public void cancel(long id) {
        Running job = running.get(id);
        if (job != null && job.future != null && job.decided.compareAndSet(false, true)) {
            job.future.cancel(true);
            log.info("diagnostic {} cancelled by the console", id);
            done(id, DiagnosticResult.Outcome.CANCELLED, "cancelled by the console", null, clock.millis());
        }
    }

    private void execute(long id, Running job, Job work, CappedOutput out, long started) {
        DiagnosticResult.Outcome outcome;
        String message;
        try {
            runners.get(work.request.action()).run(work, out);
            outcome = DiagnosticResult.Outcome.DONE;
            message = out.message();
        } catch (TimeoutException e) {
            outcome = DiagnosticResult.Outcome.TIMED_OUT;
            message = "did not finish in time";
        } catch (InterruptedException e) {
            outcome = DiagnosticResult.Outcome.CANCELLED;
            message = "cancelled";
        } catch (Unsupported e) {
            outcome = DiagnosticResult.Outcome.UNSUPPORTED;
            message = e.getMessage();
        } catch (SecurityException | InvalidParameter e) {
            outcome = DiagnosticResult.Outcome.REFUSED;
            message = e.getMessage();
        } catch (Exception | Error e) {
            outcome = DiagnosticResult.Outcome.FAILED;
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof Error || e instanceof RuntimeException && !(e instanceof IllegalArgumentException)) {
                log.warn("diagnostic {} failed", id, e);
            }
        }
        if (job.decided.compareAndSet(false, true)) {
            done(id, outcome, message, out, started);
        }
    }

    private void done(long id, DiagnosticResult.Outcome outcome, String message, CappedOutput out, long started) {
        running.remove(id);
        finish(id, outcome, message, out, started);
    }

    /** Sends the result: the output in chunks, the outcome on the last one. */
    private void finish(long id, DiagnosticResult.Outcome outcome, String message, CappedOutput out, long started) {
        byte[] data;
        synchronized (out == null ? this : out) {
            data = out == null ? new byte[0] : out.bytes();
        }
        long finished = clock.millis();
        int chunks = Math.max(1, (data.length + DiagnosticLimits.CHUNK_BYTES - 1) / DiagnosticLimits.CHUNK_BYTES);
        for (int i = 0; i < chunks; i++) {
            int from = i * DiagnosticLimits.CHUNK_BYTES;
            int to = Math.min(data.length, from + DiagnosticLimits.CHUNK_BYTES);
            DiagnosticResult.Builder b = DiagnosticResult.newBuilder().setRequestId(id).setChunk(i)
                    .setData(ByteString.copyFrom(data, from, to - from));
            if (i == chunks - 1) {
                b.setLast(true).setOutcome(outcome).setMessage(clip(message == null ? "" : message)).setStartedMs(started)
                        .setFinishedMs(finished);
                if (out != null) {
                    b.setTruncated(out.isTruncated()).setContentType(out.contentType()).addAllSummary(KeyValues.of(out.summary()));
                }
            }
            send.accept(Envelope.newBuilder().setDiagnosticResult(b));
        }
        log.info("diagnostic {} {}: {} bytes{} in {} ms: {}", id, outcome, data.length, out != null && out.isTruncated() ? " (truncated)" : "",
                finished - started, clip(message == null ? "" : message));
    }

    private static String clip(String s) {
        return s.length() > 512 ? s.substring(0, 511) + "…" : s;
    }

    /** Requests running now. */
    public int running() {
        return running.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
