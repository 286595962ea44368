package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.spool.DiskSpool;
import io.firstline.proto.Ack;
import io.firstline.proto.Envelope;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one connection sends after the Welcome: live first, the backlog behind at a bounded rate. */
class BackfillTest {
    private static final SeriesDef CPU = SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio").build();
    @TempDir
    Path dir;

    private static Envelope.Builder sample(long t) {
        Sample.Builder s = Sample.newBuilder().setTimestampMs(t).addSeries(1).addValues(0.5);
        if (t == 1) {
            s.addNewSeries(CPU);
        }
        return Envelope.newBuilder().setSample(s);
    }

    private static List<Envelope> drain(EmbeddedChannel ch) {
        List<Envelope> out = new ArrayList<>();
        Envelope e;
        while ((e = ch.readOutbound()) != null) {
            out.add(e);
        }
        return out;
    }

    @Test
    void liveGoesFirstAndTheBacklogFollowsAtTheConfiguredRate() {
        MemoryOutbox outbox = new MemoryOutbox(1000, 9);
        for (int i = 1; i <= 30; i++) {
            outbox.append(sample(i));
        }
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        Backfill b = new Backfill(ch, outbox, () -> List.of(CPU), 100); // 10 per 100 ms slice
        b.start();
        List<Envelope> first = drain(ch);
        assertEquals(9, first.get(0).getSeriesDictionary().getBootEpoch());
        assertEquals(1, first.get(0).getSeriesDictionary().getOldestPending());
        assertEquals(11, first.size(), "the dictionary and one slice of ten");
        assertEquals(10, first.get(10).getSequence());

        b.live(outbox.append(sample(31)));
        assertEquals(List.of(31L), drain(ch).stream().map(Envelope::getSequence).toList(), "live data does not wait");

        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        List<Envelope> second = drain(ch);
        assertEquals(10, second.size());
        assertEquals(11, second.get(0).getSequence());

        b.acked(Ack.newBuilder().setBootEpoch(9).setSequence(31).build());
        assertEquals(20, outbox.size(), "a positional ack settles everything sent before it: 1-10 and 31");
        b.acked(Ack.newBuilder().setBootEpoch(9).setSequence(20).build());
        assertEquals(10, outbox.size());

        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(10, drain(ch).size());
        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(drain(ch).isEmpty());
        assertTrue(b.drained(), "the backlog ends before the live message 31, which went out already");
        ch.finishAndReleaseAll();
    }

    @Test
    void anEarlierBootIsReplayedUnderItsEpochAfterItsOwnDictionary() {
        try (DiskSpool old = DiskSpool.open(dir, DiskSpool.Settings.defaults(), Clock.systemUTC(), 100)) {
            old.append(sample(1));
            old.append(sample(2));
        }
        try (DiskSpool spool = DiskSpool.open(dir, DiskSpool.Settings.defaults(), Clock.systemUTC(), 200)) {
            spool.append(sample(1));
            EmbeddedChannel ch = new EmbeddedChannel();
            ch.freezeTime();
            Backfill b = new Backfill(ch, spool, List::of, 1000);
            b.start();
            List<Envelope> sent = drain(ch);
            assertEquals(200, sent.get(0).getSeriesDictionary().getBootEpoch(), "the current boot's dictionary first");
            assertEquals(100, sent.get(1).getSeriesDictionary().getBootEpoch());
            assertEquals(List.of(CPU), sent.get(1).getSeriesDictionary().getSeriesList(), "kept on disk for the replay");
            assertEquals(100, sent.get(2).getBootEpoch());
            assertEquals(1, sent.get(2).getSequence());
            assertEquals(100, sent.get(3).getBootEpoch());
            assertEquals(0, sent.get(4).getBootEpoch(), "the current boot's own messages carry no epoch");
            assertEquals(1, sent.get(4).getSequence());
            assertNull(ch.readOutbound());
            b.acked(Ack.newBuilder().setBootEpoch(200).setSequence(1).build());
            assertEquals(0, spool.size());
            ch.finishAndReleaseAll();
        }
    }
}
