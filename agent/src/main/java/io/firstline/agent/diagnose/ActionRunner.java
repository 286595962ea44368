package io.firstline.agent.diagnose;

/**
 * Runs one action: writes its output into {@code out}, sets a one-line
 * message and key figures. Throwing ends it as failed (the exception's
 * message is the reason); a {@link java.util.concurrent.TimeoutException}
 * or an interrupt ends it as timed out or cancelled.
 */
@FunctionalInterface
interface ActionRunner {
    void run(Job job, CappedOutput out) throws Exception;
}
