package io.firstline.console.pki;

import io.firstline.wire.Tls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * The agent port's TLS: the console's server certificate, TLS 1.3 or 1.2,
 * and a client certificate requested but optional at the TLS layer, because
 * an agent that is not enrolled yet connects without one to enroll. Every
 * other use of the connection (Hello, renewal) requires the certificate; the
 * session checks.
 */
public final class ServerTls {
    private ServerTls() {
    }

    public static SslContext context(ConsoleCa ca, AgentTrust.Revocations revocations) {
        try {
            return SslContextBuilder.forServer(ca.serverKey(), ca.serverCertificate(), ca.certificate())
                    .sslProvider(SslProvider.JDK)
                    .protocols(Tls.PROTOCOLS)
                    .trustManager(new AgentTrust(ca.certificate(), revocations))
                    .clientAuth(ClientAuth.OPTIONAL)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the agent port: " + e.getMessage(), e);
        }
    }
}
