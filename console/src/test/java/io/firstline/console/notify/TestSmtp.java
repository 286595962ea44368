package io.firstline.console.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.firstline.console.pki.ConsoleCa;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Real SMTP servers on 127.0.0.1 for the e-mail tests, with a certificate
 * for 127.0.0.1 and localhost signed by a test CA ({@link #caPem()}) that the
 * console is told to trust, as a site with a private CA would.
 *
 * <ul>
 *   <li>GreenMail: plain SMTP and implicit TLS (SMTPS), with a login.
 *       GreenMail reads its TLS key store once per JVM from system
 *       properties, so the CA is made once here for every test.</li>
 *   <li>SubEtha SMTP: STARTTLS required and a login required (GreenMail's
 *       SMTP server does not offer STARTTLS).</li>
 * </ul>
 */
final class TestSmtp {
    static final String USER = "firstline";
    static final String PASSWORD = "s3cret-smtp";
    static final String FROM = "firstline@console.test";
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();
    private static final Path DIR;
    private static final ConsoleCa CA;
    private static final KeyStore KEYS;

    static {
        try {
            DIR = Files.createTempDirectory("firstline-smtp-ca");
            CA = ConsoleCa.loadOrCreate(DIR, "smtp-test", Clock.systemUTC());
            KEYS = KeyStore.getInstance("PKCS12");
            KEYS.load(null, null);
            KEYS.setKeyEntry("smtp", CA.serverKey(), STORE_PASSWORD, new Certificate[] {CA.serverCertificate(), CA.certificate()});
            Path p12 = DIR.resolve("smtp-server.p12");
            try (OutputStream out = Files.newOutputStream(p12)) {
                KEYS.store(out, STORE_PASSWORD);
            }
            System.setProperty("greenmail.tls.keystore.file", p12.toString());
            System.setProperty("greenmail.tls.keystore.password", new String(STORE_PASSWORD));
            System.setProperty("greenmail.tls.key.password", new String(STORE_PASSWORD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestSmtp() {
    }

    /** The test CA's certificate, PEM: what {@code smtp.ca_file} names. */
    static Path caPem() {
        return DIR.resolve("pki").resolve("ca.crt");
    }

    /** A GreenMail server for {@code protocol} ("smtp" or "smtps") on 127.0.0.1:{@code port}, with the test login. */
    static GreenMail greenMail(String protocol, int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", protocol))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(FROM, USER, PASSWORD));
        g.start();
        return g;
    }

    /** What a SubEtha server received: envelope sender, recipient and the raw message. */
    record Received(String from, String to, String data) {
    }

    /** A SubEtha SMTP server that requires STARTTLS and then a login before it takes mail. */
    static SMTPServer startTlsServer(int port, List<Received> into) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(KEYS, STORE_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            SMTPServer s = SMTPServer.port(port).bindAddress(InetAddress.getLoopbackAddress()).hostName("localhost")
                    .startTlsSocketFactory(ctx).requireTLS().requireAuth()
                    .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                        if (!USER.equals(user) || !PASSWORD.equals(password)) {
                            throw new LoginFailedException("wrong user or password");
                        }
                    }))
                    .messageHandler((context, from, to, data) -> into.add(new Received(from, to, new String(data,
                            java.nio.charset.StandardCharsets.UTF_8))))
                    .build();
            s.start();
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Received> inbox() {
        return new CopyOnWriteArrayList<>();
    }
}
