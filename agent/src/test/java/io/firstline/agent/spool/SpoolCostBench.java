package io.firstline.agent.spool;

import io.firstline.agent.link.Outbox.Position;
import io.firstline.agent.link.Outbox.Stored;
import io.firstline.proto.Envelope;
import io.firstline.proto.Sample;
import io.firstline.wire.WireProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one record costs the agent's spool (docs/benchmarks.md, "Agent
 * spool"): append with the default sync policy and with an fsync per record
 * (events), read back for replay, acknowledge. Not a unit test: surefire runs
 * it only when asked,
 * {@code ./mvnw -B -pl proto,agent test -Dtest=SpoolCostBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SpoolCostBench {
    @TempDir
    Path dir;

    /** A sample of 40 values (series already defined), as a typical machine sends. */
    private static Envelope.Builder sample() {
        Sample.Builder s = Sample.newBuilder().setTimestampMs(System.currentTimeMillis());
        Random r = new Random(1);
        for (int i = 1; i <= 40; i++) {
            s.addSeries(i).addValues(r.nextDouble());
        }
        return Envelope.newBuilder().setSample(s);
    }

    @Test
    void spoolCost() throws IOException {
        Envelope.Builder s = sample();
        int size = s.build().getSerializedSize();
        for (Duration sync : List.of(Duration.ofSeconds(1), Duration.ZERO)) {
            Path d = Files.createTempDirectory(dir, "spool");
            int n = sync.isZero() ? 2_000 : 50_000;
            DiskSpool.Settings settings = new DiskSpool.Settings(DiskSpool.Settings.DEFAULT_CAP, 4 << 20, sync, WireProtocol.DEFAULT_MAX_FRAME_BYTES);
            try (DiskSpool spool = DiskSpool.open(d, settings, Clock.systemUTC(), 1)) {
                for (int i = 0; i < n / 10; i++) {
                    spool.append(s.clone());
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    spool.append(s.clone());
                }
                double appendUs = (System.nanoTime() - t0) / 1e3 / n;
                long bytes = spool.bytes();
                int count = spool.size();
                long a0 = System.nanoTime();
                List<Stored> all = spool.pending(Position.START, new Position(Long.MAX_VALUE, 0), count);
                double readUs = (System.nanoTime() - a0) / 1e3 / all.size();
                long k0 = System.nanoTime();
                for (Stored x : all) {
                    spool.ack(x.bootEpoch(), x.envelope().getSequence());
                }
                double ackUs = (System.nanoTime() - k0) / 1e3 / all.size();
                System.out.printf("spool, %s: append %.1f µs/record, replay read %.1f µs/record, ack %.1f µs/record; %d B on disk per %d B envelope%n",
                        sync.isZero() ? "fsync every record (events)" : "fsync at most every 1 s (samples, default)",
                        appendUs, readUs, ackUs, bytes / count, size);
            }
        }
    }
}
