package io.firstline.agent.cli;

import io.firstline.wire.Durations;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/**
 * What Firstline's command lines share: bad input is one line on stderr
 * naming the option, and exit code 2; a failure the user can act on is one
 * line and exit code 1, not a stack trace.
 */
public final class CliSupport {
    /** Exit code for bad options or values. */
    public static final int USAGE = 2;

    private CliSupport() {
    }

    /** Thrown by a command for a failure the user can act on (port in use, unreadable file). */
    public static final class UserError extends RuntimeException {
        private final int exitCode;

        public UserError(String message) {
            this(message, 1);
        }

        public UserError(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public static int execute(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.registerConverter(Duration.class, Durations::parse);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError u) {
                c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + u.getMessage());
                return u.exitCode();
            }
            if (ex instanceof IllegalArgumentException) {
                c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return USAGE;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** Blocks until the JVM is asked to stop, then closes {@code resources} in order. */
    public static void awaitShutdown(AutoCloseable... resources) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("error while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "firstline-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
