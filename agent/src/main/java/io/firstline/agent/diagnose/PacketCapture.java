package io.firstline.agent.diagnose;

import io.firstline.diagnostics.CaptureFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bounded capture with tcpdump (at most 10 s, 1,000 packets, 2 MiB, on an
 * allow-listed interface), saved as pcap. tcpdump gets a fixed argument
 * vector; the filter's words come from {@link CaptureFilter}'s closed
 * grammar, each as its own argument after {@code --}.
 */
final class PacketCapture {
    private PacketCapture() {
    }

    static void run(Job job, CappedOutput out) throws Exception {
        Path tcpdump = Tools.find("tcpdump").orElseThrow(() -> new Unsupported("no tcpdump on this machine"));
        String nic = job.param("interface");
        int seconds = job.intParam("seconds");
        int packets = job.intParam("packets");
        CaptureFilter filter = CaptureFilter.parse(job.param("filter"), "filter");
        List<String> argv = new ArrayList<>(List.of(tcpdump.toString(), "-i", nic, "-c", Integer.toString(packets), "-n", "-U",
                "-s", "262144", "-w", "-", "--"));
        argv.addAll(filter.words());
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        out.contentType("application/vnd.tcpdump.pcap");
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = drain(p.getErrorStream(), err, 8192);
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = p.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                        if (out.full()) {
                            p.destroy(); // the 2 MiB cap: stop capturing
                            break;
                        }
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        }, "firstline-capture-read");
        reader.setDaemon(true);
        reader.start();
        try {
            long wait = Math.min(seconds * 1000L, job.millisLeft());
            if (!p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                p.destroy(); // SIGTERM: tcpdump flushes what it has
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            reader.join(2000);
            errReader.join(1000);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        String stderr = new String(err.toByteArray(), StandardCharsets.UTF_8).strip();
        int status = p.exitValue();
        synchronized (out) {
            if (out.bytes().length == 0) {
                throw new Exception("tcpdump captured nothing (exit " + status + ")" + (stderr.isEmpty() ? "" : ": " + lastLine(stderr)));
            }
            out.summary("interface", nic);
            out.summary("filter", filter.text().isEmpty() ? "(none)" : filter.text());
            out.summary("pcap_bytes", out.bytes().length);
            out.message("capture on " + nic + (filter.text().isEmpty() ? "" : " (" + filter.text() + ")") + ": "
                    + DiskUsage.human(out.bytes().length) + " of pcap; " + lastLine(stderr));
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\n");
        return lines.length == 0 ? "" : io.firstline.text.PlainText.oneLine(lines[lines.length - 1]);
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream to, int max) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1024];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (to) {
                        if (to.size() < max) {
                            to.write(buf, 0, Math.min(n, max - to.size()));
                        }
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        }, "firstline-capture-err");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
