package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.proto.Envelope;
import io.firstline.proto.Sample;
import org.junit.jupiter.api.Test;

class MemoryOutboxTest {
    private static Envelope.Builder sample() {
        return Envelope.newBuilder().setSample(Sample.getDefaultInstance());
    }

    @Test
    void numbersFromOneAndKeepsUntilAcked() {
        MemoryOutbox o = new MemoryOutbox(10);
        assertEquals(1, o.append(sample()).getSequence());
        assertEquals(2, o.append(sample()).getSequence());
        assertEquals(3, o.append(sample()).getSequence());
        assertEquals(3, o.after(0).size());
        o.ack(2);
        assertEquals(1, o.size());
        assertEquals(3, o.after(0).get(0).getSequence());
        assertEquals(0, o.after(3).size());
    }

    @Test
    void fullOutboxDropsOldestAndCounts() {
        MemoryOutbox o = new MemoryOutbox(2);
        o.append(sample());
        o.append(sample());
        o.append(sample());
        assertEquals(1, o.dropped());
        assertEquals(2, o.after(0).get(0).getSequence());
        assertEquals(3, o.lastSequence());
    }
}
