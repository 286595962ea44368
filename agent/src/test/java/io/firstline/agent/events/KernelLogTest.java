package io.firstline.agent.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLogTest {
    @TempDir
    Path state;

    private static KmsgRecord record(long seq, String message) {
        return new KmsgRecord(0, 3, seq, seq * 1000, message);
    }

    @Test
    void aFloodIsRateLimitedCountedAndCheap() {
        List<KernelEvent> events = new CopyOnWriteArrayList<>();
        KernelLog log = new KernelLog(KernelPatterns.builtIn(), events::add, state, true, Clock.systemUTC());
        long now = 1_000_000;
        long start = System.nanoTime();
        // 10,000 OOM kills of different processes, and 10,000 ordinary lines, within one second
        for (int i = 0; i < 20_000; i++) {
            String m = i % 2 == 0 ? "Out of memory: Killed process " + i + " (p" + i + ") total-vm:1kB"
                    : "usb 1-1: new high-speed USB device number " + i + " using xhci_hcd";
            log.offer(record(i + 1, m), now + i / 20);
        }
        long cpuMillis = (System.nanoTime() - start) / 1_000_000;
        KernelLog.Counters c = log.counters();
        assertEquals(20_000, c.records);
        assertTrue(events.size() >= KernelLog.EVENT_BURST && events.size() <= KernelLog.EVENT_BURST + KernelLog.EVENTS_PER_SECOND,
                "events passed: " + events.size());
        assertEquals(events.size(), c.events);
        assertTrue(c.dropped >= 10_000 - events.size(), "dropped: " + c.dropped);
        assertTrue(cpuMillis < 3_000, "20,000 lines took " + cpuMillis + " ms");
    }

    @Test
    void sameEventWithinASecondIsOneAndGapsAreCountedAsLost() {
        List<KernelEvent> events = new CopyOnWriteArrayList<>();
        KernelLog log = new KernelLog(KernelPatterns.builtIn(), events::add, state, true, Clock.systemUTC());
        log.offer(record(10, "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x,"
                + "task_memcg=/x,task=stress,pid=77,uid=0"), 5_000);
        log.offer(record(11, "Memory cgroup out of memory: Killed process 77 (stress) total-vm:1kB"), 5_001);
        assertEquals(1, events.size());
        assertEquals("/x", events.get(0).fields().get("cgroup"));
        log.offer(record(15, "Memory cgroup out of memory: Killed process 78 (stress) total-vm:1kB"), 7_000);
        assertEquals(2, events.size());
        assertEquals(3, log.counters().lost);
        assertFalse(log.offer(record(15, "Memory cgroup out of memory: Killed process 78 (stress) total-vm:1kB"), 9_000),
                "a record already read is not read again");
        assertFalse(log.offer(new KmsgRecord(1, 3, 16, 1, "Out of memory: Killed process 9 (fake) total-vm:1kB"), 9_000),
                "a program writing to /dev/kmsg is not the kernel");
    }

    /** Real /dev/kmsg: lines written to it (as a program, so with the user facility) are read; a restart resumes. */
    @Test
    void resumesAfterRestartWithoutReplayOrGap() throws Exception {
        RootOnly.require(RootOnly.root() && Files.isWritable(KernelLog.DEVICE), "writing test lines to /dev/kmsg");
        String run = UUID.randomUUID().toString().substring(0, 8);
        KernelPatterns markers = KernelPatterns.parse("test", "marker word ^firstline-test-" + run + " (?<word>\\w+)$");
        List<String> seen = new CopyOnWriteArrayList<>();
        EventSources.Sink sink = new EventSources.Sink() {
            @Override
            public void event(KernelEvent e) {
                seen.add(e.resource());
            }

            @Override
            public void reading(String metric, String resource, double value) {
            }
        };
        Path sysNet = Files.createDirectories(state.resolve("no-net"));
        inject("firstline-test-" + run + " before");
        try (EventSources s = EventSources.start(markers, sink, state, Duration.ofSeconds(1), false, sysNet, Clock.systemUTC())) {
            assertEquals(java.util.Optional.empty(), s.fallback(EventSources.KERNEL_LOG));
            inject("firstline-test-" + run + " first");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("first"));
        }
        assertEquals(List.of("first"), seen, "the first start begins at the end of the log");
        inject("firstline-test-" + run + " whileStopped");
        try (EventSources s = EventSources.start(markers, sink, state, Duration.ofSeconds(1), false, sysNet, Clock.systemUTC())) {
            inject("firstline-test-" + run + " second");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("second"));
        }
        assertEquals(List.of("first", "whileStopped", "second"), seen, "no replay of 'first', nothing missed while stopped");
        assertTrue(Files.readString(state.resolve("kmsg-position")).trim().matches("[0-9a-f-]{36} \\d+"));
    }

    static void inject(String line) throws IOException {
        try (FileOutputStream out = new FileOutputStream(KernelLog.DEVICE.toFile())) {
            // the newline ends the record: without it the kernel holds it open for a continuation
            out.write(("<14>" + line + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
