package io.firstline.agent.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KmsgRecordTest {
    private static KmsgRecord parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return KmsgRecord.parse(b, b.length).orElseThrow();
    }

    @Test
    void readsHeaderMessageAndIgnoresContinuationLines() {
        KmsgRecord r = parse("3,1234,5140900,-;EXT4-fs (loop0): Remounting filesystem read-only\n SUBSYSTEM=block\n DEVICE=b7:0\n");
        assertEquals(0, r.facility());
        assertEquals(3, r.level());
        assertEquals(1234, r.sequence());
        assertEquals(5140900, r.timestampMicros());
        assertEquals("EXT4-fs (loop0): Remounting filesystem read-only", r.message());
        assertTrue(r.fromKernel());
        // newer kernels add fields after the flags (caller id)
        assertEquals("x", parse("6,7,8,-,caller=T42;x\n").message());
    }

    @Test
    void programsWritingToKmsgAreNotTheKernel() {
        KmsgRecord r = parse("14,99,1,-;firstline test line\n");
        assertEquals(1, r.facility());
        assertFalse(r.fromKernel());
    }

    @Test
    void truncatedBinaryAndOversizeInputIsSkippedOrCut() {
        for (String bad : new String[] {"", "6,12", "6,12,34", "x,1,2,-;m", "6,-1,2,-;m", "6,1;m", "99999999999999999999,1,1,-;m"}) {
            byte[] b = bad.getBytes(StandardCharsets.US_ASCII);
            assertTrue(KmsgRecord.parse(b, b.length).isEmpty(), bad);
        }
        byte[] big = ("6,5,5,-;" + "y".repeat(20_000)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(KmsgRecord.MAX_MESSAGE, KmsgRecord.parse(big, big.length).orElseThrow().message().length());
        // the length passed, not the array's, bounds the record
        assertEquals("ab", KmsgRecord.parse("6,5,5,-;abcdef".getBytes(StandardCharsets.US_ASCII), 10).orElseThrow().message());
        KernelPatterns table = KernelPatterns.builtIn();
        Random random = new Random(11);
        byte[] junk = new byte[16 * 1024];
        for (int i = 0; i < 2_000; i++) {
            random.nextBytes(junk);
            int len = random.nextInt(junk.length);
            if (i % 2 == 0) {
                byte[] head = "4,77,1,-;".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(head, 0, junk, 0, head.length);
            }
            KmsgRecord.parse(Arrays.copyOf(junk, junk.length), len).ifPresent(r -> table.classify(r.message()));
        }
    }
}
