package io.firstline.simulator;

import io.firstline.agent.link.MemoryOutbox;
import io.firstline.agent.link.Outbox;
import io.firstline.proto.Envelope;
import io.firstline.proto.SeriesDef;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A simulated agent's {@link Outbox}: the agent's own {@link MemoryOutbox},
 * plus the time each sample was handed to the link, so that the console's
 * Ack for it gives the ingest latency (sample sent to acknowledged, which the
 * console sends only after it has committed the sample). Used on the link's
 * event loop only, like every outbox.
 */
final class TimedOutbox implements Outbox {
    private final MemoryOutbox delegate;
    private final LongConsumer latencyNanos;
    /** Sequence and send time of each unacknowledged sample, in sequence order. */
    private final ArrayDeque<long[]> sent = new ArrayDeque<>();

    TimedOutbox(MemoryOutbox delegate, LongConsumer latencyNanos) {
        this.delegate = delegate;
        this.latencyNanos = latencyNanos;
    }

    @Override
    public long bootEpoch() {
        return delegate.bootEpoch();
    }

    @Override
    public Envelope append(Envelope.Builder message) {
        Envelope e = delegate.append(message);
        if (e.hasSample()) {
            sent.addLast(new long[] {e.getSequence(), System.nanoTime()});
        }
        return e;
    }

    @Override
    public List<Stored> pending(Position after, Position before, int max) {
        return delegate.pending(after, before, max);
    }

    @Override
    public void ack(long bootEpoch, long sequence) {
        delegate.ack(bootEpoch, sequence);
        if (bootEpoch != delegate.bootEpoch()) {
            return;
        }
        long now = System.nanoTime();
        for (var it = sent.iterator(); it.hasNext(); ) {
            long[] s = it.next();
            if (s[0] == sequence) {
                it.remove();
                latencyNanos.accept(now - s[1]);
                return;
            }
            if (s[0] > sequence) {
                return;
            }
        }
    }

    @Override
    public void ackThrough(long sequence) {
        delegate.ackThrough(sequence);
        long now = System.nanoTime();
        while (!sent.isEmpty() && sent.peekFirst()[0] <= sequence) {
            latencyNanos.accept(now - sent.removeFirst()[1]);
        }
    }

    @Override
    public long lastSequence() {
        return delegate.lastSequence();
    }

    @Override
    public long dropped() {
        return delegate.dropped();
    }

    @Override
    public long dropped(long bootEpoch) {
        return delegate.dropped(bootEpoch);
    }

    @Override
    public long oldestPending(long bootEpoch) {
        return delegate.oldestPending(bootEpoch);
    }

    @Override
    public List<SeriesDef> dictionary(long bootEpoch) {
        return delegate.dictionary(bootEpoch);
    }

    @Override
    public int size() {
        return delegate.size();
    }
}
