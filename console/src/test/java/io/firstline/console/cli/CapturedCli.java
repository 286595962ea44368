package io.firstline.console.cli;

import io.firstline.cli.CliSupport;
import io.firstline.console.ConsoleMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code firstline-console} commands in the test's JVM, as an admin's
 * shell would, with standard output and error captured per run. Open it in
 * {@code @BeforeEach} and close it in {@code @AfterEach}.
 */
final class CapturedCli implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream oldOut = System.out;
    private final PrintStream oldErr = System.err;

    CapturedCli() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Runs one command line and returns its exit code; {@link #out} and {@link #err} hold what it printed. */
    int run(String... args) {
        out.reset();
        err.reset();
        return CliSupport.execute(new ConsoleMain(), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }
}
