package io.firstline.agent.diagnose;

import com.google.re2j.Pattern;
import io.firstline.agent.events.KmsgSnapshot;
import io.firstline.text.PlainText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Tail and grep of allow-listed logs and of the kernel log. Grep patterns are
 * RE2 (linear time in the text, whatever the pattern), so no pattern can make
 * the agent spin; at most {@value #MAX_SCAN} bytes of a file are read from its
 * end.
 */
final class LogActions {
    /** The most of a log file read (from its end) to find the lines asked for. */
    static final long MAX_SCAN = 8L * 1024 * 1024;
    /** A line longer than this is cut. */
    static final int MAX_LINE = 4096;
    private static final int BLOCK = 64 * 1024;

    private LogActions() {
    }

    static Predicate<String> matcher(String grep) {
        if (grep.isEmpty()) {
            return line -> true;
        }
        Pattern p = Pattern.compile(grep);
        return line -> p.matcher(line).find();
    }

    static void logTail(Job job, CappedOutput out) throws Exception {
        String name = job.param("log");
        String where = job.config.logs().get(name);
        if (where == null) {
            throw new IllegalStateException("log " + name + " is not on this agent's list"); // the allowance checked it already
        }
        int lines = job.intParam("lines");
        String grep = job.param("grep");
        List<String> found = where.equals(DiagnosticsConfig.JOURNAL) ? journal(job, lines, matcher(grep), !grep.isEmpty())
                : tail(Path.of(where), lines, matcher(grep), job);
        out.line("# %s (%s): last %d line(s)%s", name, where, found.size(), grep.isEmpty() ? "" : " matching /" + grep + "/");
        found.forEach(out::line);
        out.summary("lines", found.size());
        out.message(name + ": " + found.size() + " line(s)" + (grep.isEmpty() ? "" : " matching /" + grep + "/"));
    }

    static void kernelLog(Job job, CappedOutput out) throws Exception {
        int lines = job.intParam("lines");
        String grep = job.param("grep");
        List<String> found;
        try {
            found = KmsgSnapshot.last(lines, matcher(grep));
        } catch (IOException e) {
            throw new Exception("cannot read the kernel log: " + e.getMessage());
        }
        out.line("# kernel log: last %d line(s)%s", found.size(), grep.isEmpty() ? "" : " matching /" + grep + "/");
        found.forEach(out::line);
        out.summary("lines", found.size());
        out.message("kernel log: " + found.size() + " line(s)" + (grep.isEmpty() ? "" : " matching /" + grep + "/"));
    }

    /** The last {@code keep} lines of a file that {@code wanted} accepts, oldest first, read backwards from its end. */
    static List<String> tail(Path file, int keep, Predicate<String> wanted, Job job) throws Exception {
        Deque<String> found = new ArrayDeque<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = ch.size();
            long scanned = 0;
            byte[] carry = new byte[0];
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            while (pos > 0 && found.size() < keep && scanned < MAX_SCAN) {
                if (job != null) {
                    job.checkTime();
                }
                int len = (int) Math.min(BLOCK, pos);
                pos -= len;
                scanned += len;
                buf.clear().limit(len);
                while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) >= 0) {
                    // fill the block
                }
                byte[] block = new byte[len + carry.length];
                System.arraycopy(buf.array(), 0, block, 0, len);
                System.arraycopy(carry, 0, block, len, carry.length);
                int end = block.length;
                for (int i = block.length - 1; i >= 0 && found.size() < keep; i--) {
                    if (block[i] == '\n') {
                        take(block, i + 1, end, wanted, found);
                        end = i;
                    }
                }
                int carryLen = Math.min(end, MAX_LINE); // an overlong line keeps only its last MAX_LINE bytes
                carry = new byte[carryLen];
                System.arraycopy(block, end - carryLen, carry, 0, carryLen);
            }
            if (pos == 0 && found.size() < keep && carry.length > 0) {
                take(carry, 0, carry.length, wanted, found);
            }
        } catch (NoSuchFileException e) {
            throw new Exception("no such file: " + file);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new Exception("the agent may not read " + file + " (permission denied)");
        }
        return new ArrayList<>(found);
    }

    private static void take(byte[] b, int from, int to, Predicate<String> wanted, Deque<String> found) {
        if (to <= from) {
            return; // the empty piece after a final newline
        }
        String line = PlainText.strip(new String(b, from, Math.min(to - from, MAX_LINE), StandardCharsets.UTF_8));
        if (wanted.test(line)) {
            found.addFirst(line);
        }
    }

    /** The journal through journalctl with a fixed argument vector; the grep runs here, not in journalctl. */
    private static List<String> journal(Job job, int keep, Predicate<String> wanted, boolean grep) throws Exception {
        java.nio.file.Path journalctl = Tools.find("journalctl").orElseThrow(() -> new Unsupported("no journalctl on this machine"));
        int read = grep ? 20_000 : keep;
        CappedOutput raw = new CappedOutput((int) MAX_SCAN);
        Command.run(job, journalctl, List.of("--no-pager", "--quiet", "--output=short-iso", "--lines=" + read), raw);
        Deque<String> found = new ArrayDeque<>();
        String[] all = new String(raw.bytes(), StandardCharsets.UTF_8).split("\n");
        for (int i = all.length - 1; i >= 0 && found.size() < keep; i--) {
            String line = PlainText.strip(all[i].length() > MAX_LINE ? all[i].substring(0, MAX_LINE) : all[i]);
            if (!line.isEmpty() && wanted.test(line)) {
                found.addFirst(line);
            }
        }
        return new ArrayList<>(found);
    }

}
