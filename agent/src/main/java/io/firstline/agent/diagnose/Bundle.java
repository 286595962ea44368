package io.firstline.agent.diagnose;

import io.firstline.diagnostics.Action;
import io.firstline.diagnostics.DiagnosticLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Runs a set of actions one after the other within the bundle's deadline and
 * packs their outputs as one zip: {@code NN-action.txt} each, and
 * {@code summary.txt} with every action's outcome. An action that fails does
 * not stop the others; time running out does (the rest are listed as not run).
 */
final class Bundle implements ActionRunner {
    private final Map<Action, ActionRunner> runners;

    Bundle(Map<Action, ActionRunner> runners) {
        this.runners = runners;
    }

    @Override
    public void run(Job job, CappedOutput out) throws Exception {
        List<Action> actions = job.allowance.bundled(job.request);
        out.contentType("application/zip");
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        StringBuilder summary = new StringBuilder();
        int ok = 0;
        boolean truncated = false;
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            int n = 0;
            for (Action a : actions) {
                n++;
                CappedOutput part = new CappedOutput(DiagnosticLimits.OUTPUT_CAP);
                String outcome;
                try {
                    job.checkTime();
                    runners.get(a).run(job.part(Action.validate(a.wireName(), Map.of())), part);
                    outcome = "done: " + part.message();
                    ok++;
                } catch (TimeoutException e) {
                    outcome = "not finished: the bundle's time ran out";
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    outcome = "failed: " + e.getMessage();
                }
                truncated |= part.isTruncated();
                summary.append(String.format("%-16s %s%s%n", a.wireName(), outcome, part.isTruncated() ? " (output truncated)" : ""));
                zip.putNextEntry(new ZipEntry(String.format("%02d-%s.txt", n, a.wireName())));
                zip.write(part.bytes());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("summary.txt"));
            zip.write(summary.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] b = zipBytes.toByteArray();
        out.write(b, 0, b.length);
        if (truncated) {
            out.truncated();
        }
        out.summary("actions", actions.size());
        out.summary("done", ok);
        out.message("bundle of " + actions.size() + " action(s), " + ok + " done");
    }
}
