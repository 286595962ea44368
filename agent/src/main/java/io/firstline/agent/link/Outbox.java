package io.firstline.agent.link;

import io.firstline.proto.Envelope;
import io.firstline.proto.SeriesDef;
import java.util.List;

/**
 * What the agent has produced and the console has not yet acknowledged. The
 * outbox numbers each message (the Envelope's sequence, within the current
 * boot epoch) and keeps it until an Ack covers it, so a lost connection loses
 * nothing. A disk-backed outbox may also hold messages of earlier boot
 * epochs, replayed after a restart. Used only from the link's event loop, so
 * implementations need not be thread-safe.
 */
public interface Outbox {
    /** Where a message stands in the agent's history: boot epoch first, then sequence. */
    record Position(long bootEpoch, long sequence) implements Comparable<Position> {
        public static final Position START = new Position(0, 0);

        @Override
        public int compareTo(Position o) {
            int c = Long.compare(bootEpoch, o.bootEpoch);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** A kept message and the boot epoch it was numbered in. */
    record Stored(long bootEpoch, Envelope envelope) {
        public Position position() {
            return new Position(bootEpoch, envelope.getSequence());
        }
    }

    /** The boot epoch that {@link #append} numbers messages in. */
    long bootEpoch();

    /** Numbers {@code message} with the next sequence, keeps it, and returns it. */
    Envelope append(Envelope.Builder message);

    /**
     * Unacknowledged messages strictly between {@code after} and {@code before},
     * oldest first, at most {@code max}.
     */
    List<Stored> pending(Position after, Position before, int max);

    /** Forgets one message: the console has committed it. */
    void ack(long bootEpoch, long sequence);

    /** Forgets every message of the current boot epoch up to and including {@code sequence}. */
    void ackThrough(long sequence);

    /** Highest sequence appended in the current boot epoch (0 if none). */
    long lastSequence();

    /** Messages dropped because the outbox was full, since the agent started. */
    long dropped();

    /** Messages of {@code bootEpoch} dropped because the outbox was full (as far as this outbox knows). */
    long dropped(long bootEpoch);

    /** The lowest unacknowledged sequence of {@code bootEpoch}, or 0 if none is left. */
    long oldestPending(long bootEpoch);

    /** The series definitions of an earlier boot epoch, for replaying its samples. */
    List<SeriesDef> dictionary(long bootEpoch);

    /** Messages kept, not yet acknowledged. */
    int size();
}
