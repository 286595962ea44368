package io.firstline.agent.cli;

import com.google.protobuf.ByteString;
import io.firstline.agent.voice.LocalClient;
import io.firstline.agent.voice.UserVoice;
import io.firstline.cli.CliSupport;
import io.firstline.proto.LocalReport;
import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import io.firstline.text.PlainText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code firstline-agent report "TEXT"}: any local user tells support what is
 * wrong. The running agent adds a snapshot of the machine and sends it; if
 * support cannot be reached, the report waits and goes as soon as it can.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Tell support about a problem with this machine, in your own words.",
                "The agent adds a snapshot of the machine's health. Texts over 8 KiB are cut.",
                "Example: firstline-agent report \"my screen froze twice this morning\""})
public final class ReportCommand implements Runnable {
    /** Read at most this much of a file or stdin: a little over what is kept, so the agent can say it cut. */
    static final int READ_BYTES = UserVoice.MAX_TEXT_BYTES + 4096;

    static final class Source {
        @Parameters(arity = "1", paramLabel = "TEXT", description = "What is wrong, in your words (quote it).")
        String text;

        @picocli.CommandLine.Option(names = "--file", paramLabel = "FILE", description = "Read the text from a file.")
        Path file;

        @picocli.CommandLine.Option(names = "--stdin", description = "Read the text from standard input.")
        boolean stdin;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Mixin
    LocalTarget target;

    @Override
    public void run() {
        byte[] all;
        long original;
        try {
            if (source.text != null) {
                all = source.text.getBytes(StandardCharsets.UTF_8);
                original = all.length;
            } else {
                try (InputStream in = source.stdin ? System.in : Files.newInputStream(source.file)) {
                    all = in.readNBytes(READ_BYTES);
                    original = all.length;
                    byte[] rest = new byte[64 * 1024];
                    for (int n; (n = in.read(rest)) > 0; ) {
                        original += n; // count the rest without keeping it
                    }
                }
            }
        } catch (IOException e) {
            throw new CliSupport.UserError("cannot read " + (source.stdin ? "standard input" : source.file) + ": " + e.getMessage());
        }
        LocalResponse r;
        try {
            r = LocalClient.ask(target.socket(), LocalRequest.newBuilder().setReport(LocalReport.newBuilder()
                    .setText(ByteString.copyFrom(all)).setOriginalBytes(original)).build());
        } catch (LocalClient.Unreachable e) {
            throw new CliSupport.UserError(e.getMessage());
        }
        if (!r.getError().isEmpty()) {
            throw new CliSupport.UserError(PlainText.strip(r.getError()));
        }
        var a = r.getReport();
        System.out.println("Thank you. Your report is recorded as " + PlainText.oneLine(a.getUser()) + ".");
        if (a.getCut()) {
            System.out.println("Your text was longer than 8 KiB; only its first 8 KiB were sent (with a note saying so).");
        }
        if (a.getConsoleConnected()) {
            System.out.println("It is on its way to support with a snapshot of this machine.");
        } else {
            System.out.println("Support cannot be reached right now. The report is saved and will be sent as soon as it can be.");
        }
        System.out.println("See what support is doing about it with: firstline-agent status" + hint());
    }

    private String hint() {
        if (target.socket != null) {
            return " --socket " + target.socket;
        }
        return target.stateDir != null ? " --state-dir " + target.stateDir : "";
    }
}
