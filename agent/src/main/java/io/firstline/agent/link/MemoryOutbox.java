package io.firstline.agent.link;

import io.firstline.proto.Envelope;
import io.firstline.proto.SeriesDef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An {@link Outbox} in memory, bounded: when full, the oldest message is
 * dropped and counted. It survives a lost connection, not a restart of the
 * agent, so it only ever holds the current boot epoch. The shipped agent
 * uses the disk spool ({@code io.firstline.agent.spool.DiskSpool}); this one
 * serves tests and simulated agents.
 */
public final class MemoryOutbox implements Outbox {
    private final ArrayDeque<Envelope> pending = new ArrayDeque<>();
    private final int capacity;
    private final long bootEpoch;
    private long lastSequence;
    private long dropped;

    public MemoryOutbox(int capacity, long bootEpoch) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.bootEpoch = bootEpoch;
    }

    @Override
    public long bootEpoch() {
        return bootEpoch;
    }

    @Override
    public Envelope append(Envelope.Builder message) {
        Envelope e = message.setSequence(++lastSequence).build();
        if (pending.size() == capacity) {
            pending.removeFirst();
            dropped++;
        }
        pending.addLast(e);
        return e;
    }

    @Override
    public List<Stored> pending(Position after, Position before, int max) {
        List<Stored> out = new ArrayList<>();
        for (Envelope e : pending) {
            Position p = new Position(bootEpoch, e.getSequence());
            if (p.compareTo(after) > 0 && p.compareTo(before) < 0) {
                out.add(new Stored(bootEpoch, e));
                if (out.size() == max) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public void ack(long epoch, long sequence) {
        if (epoch != bootEpoch) {
            return;
        }
        for (Iterator<Envelope> it = pending.iterator(); it.hasNext(); ) {
            long s = it.next().getSequence();
            if (s == sequence) {
                it.remove();
                return;
            }
            if (s > sequence) {
                return;
            }
        }
    }

    @Override
    public void ackThrough(long sequence) {
        while (!pending.isEmpty() && pending.peekFirst().getSequence() <= sequence) {
            pending.removeFirst();
        }
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public long dropped(long epoch) {
        return epoch == bootEpoch ? dropped : 0;
    }

    @Override
    public long oldestPending(long epoch) {
        return epoch == bootEpoch && !pending.isEmpty() ? pending.peekFirst().getSequence() : 0;
    }

    @Override
    public List<SeriesDef> dictionary(long epoch) {
        return List.of();
    }

    @Override
    public int size() {
        return pending.size();
    }
}
