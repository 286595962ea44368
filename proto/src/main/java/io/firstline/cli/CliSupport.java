package io.firstline.cli;

import io.firstline.wire.Durations;
import java.nio.file.Path;
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

    /**
     * The directory the user ran the command from. The archive's launcher
     * ({@code bin/firstline-agent}) starts the JVM inside the archive, so that
     * the class-data archive's relative class path matches, and passes the
     * caller's directory in {@code FIRSTLINE_CALLER_DIR}; without it, the
     * JVM's own working directory.
     */
    static Path callerDir() {
        String dir = System.getenv("FIRSTLINE_CALLER_DIR");
        return dir == null || dir.isEmpty() ? Path.of("").toAbsolutePath() : Path.of(dir);
    }

    /** A file name from the command line, relative names taken from {@link #callerDir()}. */
    public static Path userPath(String name) {
        return callerDir().resolve(name);
    }

    /** A duration option's value; picocli puts the option's name before the message. */
    static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** Converts a port option (picocli names the option in the error): a whole number from 0 to 65535. */
    public static final class PortConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            try {
                int port = Integer.parseInt(text.trim());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new CommandLine.TypeConversionException("must be a port number from 0 to 65535, got '" + text + "'");
        }
    }

    public static int execute(Object command, String... args) {
        return execute(new CommandLine(command), args);
    }

    /** As {@link #execute(Object, String...)}, for a command line put together by the caller. */
    public static int execute(CommandLine cl, String... args) {
        cl.registerConverter(Duration.class, CliSupport::duration);
        cl.registerConverter(Path.class, CliSupport::userPath);
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
