package io.firstline.agent.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one of the few outside programs diagnostics use, with a fixed argument
 * vector (never a shell, never a string split into words), no standard input,
 * a minimal environment, its output capped, and killed at the job's deadline
 * or when the job is cancelled.
 */
final class Command {
    private Command() {
    }

    /** Exit status of a finished program. */
    record Exit(int status) {
    }

    /**
     * Runs {@code program} with {@code args}, copying its standard output into
     * {@code out} (standard error is merged), and returns its exit status.
     */
    static Exit run(Job job, Path program, List<String> args, CappedOutput out) throws IOException, InterruptedException, TimeoutException {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().put("SYSTEMD_PAGER", "");
        Process p = pb.start();
        try (InputStream in = p.getInputStream()) {
            Thread reader = new Thread(() -> copy(in, out), "firstline-diagnose-read");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(job.millisLeft(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException(program.getFileName() + " did not finish in time");
            }
            reader.join(1000);
            return new Exit(p.exitValue());
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static void copy(InputStream in, CappedOutput out) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException closed) {
            // the program was killed; what it wrote so far is kept
        }
    }
}
