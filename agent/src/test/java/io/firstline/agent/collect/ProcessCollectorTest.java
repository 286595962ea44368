package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.agent.collect.ProcessTable.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCollectorTest {

    /** A process table whose contents the test sets between runs. */
    static final class FakeTable implements ProcessTable {
        List<Proc> procs = List.of();
        long clock;

        @Override
        public List<Proc> list() {
            return procs;
        }

        @Override
        public long cpuClock() {
            return clock;
        }

        @Override
        public String user(int pid) {
            return "user" + pid;
        }
    }

    private static Map<String, Double> values(Snapshot s) {
        return s.values().stream().collect(Collectors.toMap(r -> r.metric() + "@" + r.resource(), Snapshot.Reading::value));
    }

    private static Map<String, String> texts(Snapshot s) {
        return s.texts().stream().collect(Collectors.toMap(r -> r.metric() + "@" + r.resource(), Snapshot.TextReading::text));
    }

    @Test
    void ranksByCpuBetweenRunsAndByMemory() {
        FakeTable t = new FakeTable();
        CollectorRunner runner = new CollectorRunner(List.of(new Registration("processes", true, p -> new ProcessCollector(t))),
                null, Clock.systemUTC());
        List<Proc> procs = new ArrayList<>();
        for (int pid = 1; pid <= 8; pid++) {
            procs.add(new Proc(pid, "p" + pid, pid == 8, 100, 2, pid * 1000L));
        }
        t.procs = procs;
        t.clock = 10_000;
        Snapshot first = runner.collect();
        Map<String, Double> v = values(first);
        assertEquals(8, v.get("processes.count@"));
        assertEquals(16, v.get("processes.threads@"));
        assertEquals(1, v.get("processes.zombies@"));
        assertFalse(v.containsKey("process.pid@cpu1"), "no CPU ranking before a second reading");
        assertEquals(8, v.get("process.pid@mem1"));
        assertEquals(4, v.get("process.pid@mem5"));
        assertFalse(v.containsKey("process.pid@mem6"));

        // Between the runs the machine had 1000 ticks; pid 3 used 500, pid 6 used 100.
        List<Proc> later = new ArrayList<>(procs);
        later.set(2, new Proc(3, "p3", false, 600, 2, 3000));
        later.set(5, new Proc(6, "p6", false, 200, 2, 6000));
        t.procs = later;
        t.clock = 11_000;
        Snapshot second = runner.collect();
        v = values(second);
        assertEquals(3, v.get("process.pid@cpu1"));
        assertEquals(0.5, v.get("process.cpu_ratio@cpu1"), 1e-9);
        assertEquals(6, v.get("process.pid@cpu2"));
        assertEquals(0.1, v.get("process.cpu_ratio@cpu2"), 1e-9);
        assertEquals("p3", texts(second).get("process.name@cpu1"));
        assertEquals("user3", texts(second).get("process.user@cpu1"));
    }

    @Test
    void linuxTableReadsAFakeProc(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("stat"), Fixtures.text("proc-stat.txt"));
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/stat"), "1 (x) S 0");
        Path p = Files.createDirectories(proc.resolve("2931"));
        Files.writeString(p.resolve("stat"), Fixtures.text("proc-pid-stat.txt"));
        Files.createDirectories(proc.resolve("4242")); // ended: no stat file
        Files.createDirectories(proc.resolve("sys"));
        assertTrue(LinuxProcessTable.available(proc));
        LinuxProcessTable table = new LinuxProcessTable(proc, 4096);
        List<Proc> all = table.list();
        assertEquals(1, all.size());
        assertEquals("Web Content (2)", all.get(0).name());
        assertTrue(table.cpuClock() > 0);
        assertFalse(table.user(2931).isEmpty(), "the owner of the fake directory");
        assertEquals("", table.user(99999));
    }
}
