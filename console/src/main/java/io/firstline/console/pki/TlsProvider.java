package io.firstline.console.pki;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which TLS implementation serves the agent port ({@code agent.tlsProvider}
 * in console.yaml). {@link #OPENSSL} is BoringSSL through netty-tcnative:
 * a first handshake with a client certificate costs several times less CPU
 * than the JDK's, and its session-ticket keys can be set, so agents resume
 * their sessions across a restart and across nodes ({@link SessionTicketKeys}).
 * The console ships the Linux x86-64 native library only; elsewhere
 * {@link #AUTO} falls back to the {@link #JDK} provider.
 */
public enum TlsProvider {
    /** BoringSSL where it loads, the JDK otherwise (the default). */
    AUTO,
    /** BoringSSL; the console does not start where it cannot load. */
    OPENSSL,
    /** The JDK's own TLS. */
    JDK;

    /** The value as written in console.yaml. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code auto}, {@code openssl} or {@code jdk} (any case). */
    public static TlsProvider parse(String text) {
        for (TlsProvider p : values()) {
            if (p.configName().equalsIgnoreCase(text.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values()).map(TlsProvider::configName)
                .collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }

    /**
     * The provider that serves: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}.
     *
     * @throws IllegalStateException for {@link #OPENSSL} where netty-tcnative does not load, naming why
     */
    public SslProvider resolve() {
        return switch (this) {
            case JDK -> SslProvider.JDK;
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("agent.tlsProvider is openssl, but BoringSSL (netty-tcnative) does not load here: "
                            + whyUnavailable() + " (use auto or jdk)");
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** Why netty-tcnative did not load, in one line; empty where it did. */
    public static String whyUnavailable() {
        Throwable t = OpenSsl.unavailabilityCause();
        if (t == null) {
            return "";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()).lines().findFirst().orElse("");
    }
}
