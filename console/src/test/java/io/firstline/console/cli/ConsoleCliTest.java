package io.firstline.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.cli.CliSupport;
import io.firstline.console.ConsoleMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleCliTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
    }

    private int run(String... args) {
        return CliSupport.execute(new ConsoleMain(), args);
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void unknownOptionIsOneLineExit2() {
        assertEquals(2, run("demo", "--htp-port", "1"));
        assertTrue(errText().contains("--htp-port"), errText());
        assertEquals(1, errText().lines().count(), errText());
    }

    @Test
    void badPortValueIsNamed() {
        assertEquals(2, run("serve", "--http-port", "eighty"));
        assertTrue(errText().contains("eighty"), errText());
    }

    @Test
    void anOutOfRangePortOrBadDurationNamesTheOptionAndTheAllowedValuesNotAJavaType() {
        assertEquals(2, run("demo", "--http-port", "70000"));
        assertTrue(errText().contains("--http-port") && errText().contains("must be a port number from 0 to 65535, got '70000'"),
                errText());
        err.reset();
        assertEquals(2, run("serve", "--agent-port", "-1"));
        assertTrue(errText().contains("--agent-port") && errText().contains("from 0 to 65535"), errText());
        err.reset();
        assertEquals(2, run("demo", "--interval", "soon"));
        assertTrue(errText().contains("--interval") && errText().contains("'soon' is not a duration"), errText());
        assertTrue(!errText().contains("java.") && !errText().contains("Exception"), errText());
    }

    @Test
    void badConfigNamesFileAndLine() throws IOException {
        Path cfg = dir.resolve("console.yaml");
        Files.writeString(cfg, "http:\n  prot: 1\n");
        assertEquals(2, run("serve", "--config", cfg.toString()));
        assertTrue(errText().contains("console.yaml: line 2: unknown option 'http.prot'"), errText());
    }

    @Test
    void portInUseIsAClearMessageNotAStackTrace() throws IOException {
        Path data = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = run("demo", "--data", data.toString(), "--agent-port", "0", "--http-port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, exit);
            assertTrue(errText().contains("cannot listen for HTTP on 127.0.0.1:" + taken.getLocalPort()), errText());
            assertTrue(errText().contains("--http-port"), errText());
            assertTrue(!errText().contains("\tat "), "no stack trace: " + errText());
        }
        // Ports are checked first: a start that cannot listen leaves no store, CA or admin password behind.
        for (String made : new String[] {"firstline.db", "pki", "console-id", "initial-admin-password", "admin-login"}) {
            assertTrue(!Files.exists(data.resolve(made)), made + " was created by a start that failed");
        }
    }

    @Test
    void adminCommandsRefuseADirectoryThatHoldsNoConsole() throws IOException {
        Path typo = dir.resolve("firstline-consle");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        for (String[] args : new String[][] {
                {"token", "create", "--site", "berlin", "--data", typo.toString()},
                {"token", "list", "--data", typo.toString()},
                {"token", "revoke", "tok_0123456789", "--data", empty.toString()},
                {"agent", "revoke", "some-agent", "--data", empty.toString()}}) {
            err.reset();
            assertEquals(1, run(args), String.join(" ", args));
            assertTrue(errText().contains("holds no Firstline console") && errText().contains("--data"), errText());
        }
        assertTrue(!Files.exists(typo), "a mistyped --data creates nothing");
        try (var left = Files.list(empty)) {
            assertEquals(0, left.count(), "no store and no CA in a directory that held no console");
        }
    }
}
