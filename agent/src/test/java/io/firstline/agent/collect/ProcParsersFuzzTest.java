package io.firstline.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Fuzzes the pure parsers behind the collectors with any text in place of
 * the {@code /proc} file or command output they read. The contract they
 * share: a result whose counters are not negative, or an
 * {@link IllegalStateException} (the collector reports it as its failure);
 * never any other exception. Seeds are the captured fixtures; findings land
 * in {@code ProcParsersFuzzTestInputs/METHOD/} in the test resources.
 */
class ProcParsersFuzzTest {
    private static final Pattern UNIT = Pattern.compile("\\S+");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    @FuzzTest
    void procDiskstats(byte[] input) {
        List<String> lines = lines(input);
        Set<String> disks = new HashSet<>();
        lines.forEach(l -> {
            String[] f = l.trim().split("\\s+");
            if (f.length > 2) {
                disks.add(f[2]);
            }
        });
        parsed(() -> LinuxDiskStats.parse(lines, disks)).ifPresent(devices -> devices.forEach(d ->
                assertTrue(d.readBytes() >= 0 && d.writeBytes() >= 0 && d.reads() >= 0 && d.writes() >= 0
                        && d.inFlight() >= 0 && d.busyMillis() >= 0, d::toString)));
    }

    @FuzzTest
    void procSelfMounts(byte[] input) {
        parsed(() -> LinuxMounts.parseMounts(lines(input))).ifPresent(mounts -> {
            assertEquals(mounts.size(), mounts.stream().map(LinuxMounts.Mount::mountPoint).distinct().count(), mounts::toString);
            mounts.forEach(m -> assertFalse(LinuxMounts.skipped(m), m::toString));
        });
    }

    @FuzzTest
    void procPidStat(byte[] input) {
        parsed(() -> Optional.ofNullable(LinuxProcessTable.parseStat(text(input), 4096))).flatMap(p -> p).ifPresent(p ->
                assertTrue(p.pid() >= 0 && p.cpuTime() >= 0 && p.threads() >= 0 && p.rssBytes() >= 0, p::toString));
    }

    @FuzzTest
    void procStat(byte[] input) {
        parsed(() -> LinuxProcessTable.parseTotalTicks(text(input))).ifPresent(ticks -> assertTrue(ticks >= 0, ticks::toString));
    }

    @FuzzTest
    void procNetRoute(byte[] input) {
        parsed(() -> Gateway.parseRoute(lines(input))).flatMap(g -> g).ifPresent(g ->
                assertTrue(DOTTED_QUAD.matcher(g).matches(), g));
    }

    @FuzzTest
    void procNetArp(byte[] input) {
        List<String> lines = lines(input);
        String ip = lines.size() > 1 ? lines.get(1).trim().split("\\s+")[0] : "192.168.2.1";
        parsed(() -> Gateway.parseArpComplete(lines, ip));
    }

    @FuzzTest
    void procNetSnmp(byte[] input) {
        parsed(() -> TcpCounters.parseSnmp(lines(input))).ifPresent(t ->
                assertTrue(t.established() >= 0 && t.attemptFails() >= 0 && t.segmentsSent() >= 0 && t.segmentsRetransmitted() >= 0,
                        t::toString));
    }

    @FuzzTest
    void systemctlFailedUnits(byte[] input) {
        ServicesCollector.parseFailedUnits(text(input)).forEach(u -> assertTrue(UNIT.matcher(u).matches(), "unit '" + u + "'"));
    }

    /** The parser's result, or empty when it refused the text the one allowed way. */
    private static <T> Optional<T> parsed(Supplier<T> parser) {
        try {
            return Optional.of(parser.get());
        } catch (IllegalStateException refused) {
            return Optional.empty();
        }
    }

    private static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }

    /** Lines as {@code Files.readAllLines} splits them. */
    private static List<String> lines(byte[] input) {
        return text(input).lines().toList();
    }
}
