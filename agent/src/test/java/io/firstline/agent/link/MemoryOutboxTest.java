package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.agent.link.Outbox.Position;
import io.firstline.proto.Envelope;
import io.firstline.proto.Sample;
import org.junit.jupiter.api.Test;

class MemoryOutboxTest {
    private static final Position END = new Position(Long.MAX_VALUE, 0);

    private static Envelope.Builder sample() {
        return Envelope.newBuilder().setSample(Sample.getDefaultInstance());
    }

    @Test
    void numbersFromOneAndKeepsUntilAcked() {
        MemoryOutbox o = new MemoryOutbox(10, 7);
        assertEquals(1, o.append(sample()).getSequence());
        assertEquals(2, o.append(sample()).getSequence());
        assertEquals(3, o.append(sample()).getSequence());
        assertEquals(3, o.pending(Position.START, END, 10).size());
        o.ackThrough(2);
        assertEquals(1, o.size());
        assertEquals(3, o.pending(Position.START, END, 10).get(0).envelope().getSequence());
        assertEquals(0, o.pending(new Position(7, 3), END, 10).size());
        assertEquals(3, o.oldestPending(7));
    }

    @Test
    void singleAcksRemoveOnlyTheirMessage() {
        MemoryOutbox o = new MemoryOutbox(10, 7);
        o.append(sample());
        o.append(sample());
        o.append(sample());
        o.ack(7, 2);
        o.ack(8, 1); // another epoch: not ours
        assertEquals(2, o.size());
        assertEquals(1, o.oldestPending(7));
    }

    @Test
    void fullOutboxDropsOldestAndCounts() {
        MemoryOutbox o = new MemoryOutbox(2, 7);
        o.append(sample());
        o.append(sample());
        o.append(sample());
        assertEquals(2, o.size());
        assertEquals(1, o.dropped());
        assertEquals(1, o.dropped(7));
        assertEquals(2, o.pending(Position.START, END, 10).get(0).envelope().getSequence());
    }
}
