package io.firstline.agent.events;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One record of {@code /dev/kmsg}. Each read(2) of the device returns exactly
 * one record:
 *
 * <pre>
 *   6,1234,5140900,-;EXT4-fs (loop0): Remounting filesystem read-only\n
 *    SUBSYSTEM=block\n                      (optional continuation lines)
 *   ^ ^    ^       ^ ^
 *   | |    |       | message (non-printable bytes escaped as \xNN by the kernel)
 *   | |    |       flags ('-' or 'c'), possibly more comma-separated fields
 *   | |    microseconds since boot
 *   | sequence number (64-bit, grows by one per record, restarts at boot)
 *   syslog priority: facility * 8 + level (facility 0 = the kernel itself)
 * </pre>
 *
 * Anything else (truncated, binary, no ';') is not a record and is skipped.
 *
 * @param message the first line of the message, at most {@link #MAX_MESSAGE} characters
 */
public record KmsgRecord(int facility, int level, long sequence, long timestampMicros, String message) {
    /** Longer messages are cut here before matching, so a hostile line costs bounded CPU. */
    public static final int MAX_MESSAGE = 8192;

    /** Parses the bytes one read returned. */
    public static Optional<KmsgRecord> parse(byte[] buf, int len) {
        int semi = -1;
        for (int i = 0; i < Math.min(len, 128); i++) {
            if (buf[i] == ';') {
                semi = i;
                break;
            }
        }
        if (semi < 0) {
            return Optional.empty();
        }
        String[] head = new String(buf, 0, semi, StandardCharsets.US_ASCII).split(",");
        if (head.length < 3) {
            return Optional.empty();
        }
        long prio;
        long seq;
        long ts;
        try {
            prio = Long.parseLong(head[0]);
            seq = Long.parseLong(head[1]);
            ts = Long.parseLong(head[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (prio < 0 || seq < 0) {
            return Optional.empty();
        }
        int end = semi + 1;
        int limit = Math.min(len, semi + 1 + MAX_MESSAGE);
        while (end < limit && buf[end] != '\n') {
            end++;
        }
        String message = new String(buf, semi + 1, end - semi - 1, StandardCharsets.UTF_8);
        return Optional.of(new KmsgRecord((int) (prio >> 3), (int) (prio & 7), seq, ts, message));
    }

    /** A record the kernel logged itself (not one written to /dev/kmsg by a program). */
    public boolean fromKernel() {
        return facility == 0;
    }
}
