package io.firstline.agent.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the kernel log reader's parsing: what one read of {@code /dev/kmsg}
 * returns, through the record parser, the shipped pattern table and the rate
 * limiter. Seeds and findings: {@code KernelLogFuzzTestInputs/} in the test
 * resources (records as the device returns them, one per file).
 */
class KernelLogFuzzTest {
    private static final KernelPatterns TABLE = KernelPatterns.builtIn();

    /**
     * Any bytes are a record or nothing; a record is an event of a type the
     * table knows, with bounded fields, or nothing; the reader never throws
     * and passes on at most one event per record.
     */
    @FuzzTest
    void anyRecordIsAnEventOrNothing(byte[] input) {
        Optional<KmsgRecord> r = KmsgRecord.parse(input, input.length);
        if (r.isEmpty()) {
            return;
        }
        assertTrue(r.get().message().length() <= KmsgRecord.MAX_MESSAGE);
        assertTrue(r.get().sequence() >= 0);
        Optional<KernelEvent> e = TABLE.classify(r.get().message());
        e.ifPresent(x -> {
            assertTrue(TABLE.types().contains(x.type()), x::toString);
            assertTrue(x.resource().length() <= KernelPatterns.MAX_FIELD, x::toString);
            x.fields().values().forEach(v -> assertTrue(v.length() <= KernelPatterns.MAX_FIELD));
        });
        List<KernelEvent> passed = new ArrayList<>();
        KernelLog log = new KernelLog(TABLE, passed::add, Path.of("/nonexistent"), true, Clock.systemUTC());
        log.offer(r.get(), 1_000);
        assertEquals(r.get().fromKernel() && e.isPresent() ? 1 : 0, passed.size());
    }
}
