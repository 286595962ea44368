package io.firstline.agent.link;

import io.firstline.proto.Envelope;
import java.util.List;

/**
 * What the agent has produced and the console has not yet acknowledged. The
 * outbox numbers each message (the Envelope's sequence) and keeps it until an
 * Ack covers it, so a lost connection loses nothing. Used only from the link's
 * event loop, so implementations need not be thread-safe.
 */
public interface Outbox {
    /** Numbers {@code message} with the next sequence, keeps it, and returns it. */
    Envelope append(Envelope.Builder message);

    /** Messages with a sequence greater than {@code after}, oldest first. */
    List<Envelope> after(long after);

    /** Forgets every message up to and including {@code sequence}. */
    void ack(long sequence);

    /** Highest sequence appended so far (0 if none). */
    long lastSequence();

    /** Messages dropped because the outbox was full, since the agent started. */
    long dropped();

    int size();
}
