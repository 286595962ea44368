package io.firstline.agent.diagnose;

import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.Allowance;
import java.util.concurrent.TimeoutException;

/**
 * One running request as its action sees it: the valid parameters, what the
 * agent allows, its config, and the deadline, which long actions check
 * between steps ({@link #checkTime}); an interrupt (timeout or cancel) stops
 * them too.
 */
final class Job {
    final Action.Valid request;
    final Allowance allowance;
    final DiagnosticsConfig config;
    private final long deadlineNanos;

    Job(Action.Valid request, Allowance allowance, DiagnosticsConfig config, long deadlineNanos) {
        this.request = request;
        this.allowance = allowance;
        this.config = config;
        this.deadlineNanos = deadlineNanos;
    }

    String param(String name) {
        return request.params().getOrDefault(name, "");
    }

    int intParam(String name) {
        return Integer.parseInt(param(name));
    }

    /** Time left before the deadline, in ms (at least 1). */
    long millisLeft() {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    /** Throws once the deadline has passed or the thread was interrupted. */
    void checkTime() throws TimeoutException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("cancelled");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new TimeoutException("deadline passed");
        }
    }

    /** A job for one action of a bundle, with the bundle's deadline. */
    Job part(Action.Valid part) {
        return new Job(part, allowance, config, deadlineNanos);
    }
}
