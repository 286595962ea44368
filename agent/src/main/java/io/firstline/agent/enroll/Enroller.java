package io.firstline.agent.enroll;

import io.firstline.agent.link.Backoff;
import io.firstline.agent.link.ConsoleAddress;
import io.firstline.proto.EnrollRequest;
import io.firstline.proto.EnrollResponse;
import io.firstline.proto.Envelope;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Refuse;
import io.firstline.proto.RenewRequest;
import io.firstline.wire.Tls;
import io.firstline.wire.WireProtocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Enrollment and renewal: one short TLS connection to the console's agent
 * port, one request, one answer (docs/protocol.md, "Enrollment"). Blocking
 * and self-contained, so it runs from the command line and from the
 * agent's renewal timer alike. A console that refuses for now and says when
 * to come back (an overloaded one refuses before TLS, {@link RefusalAwareSocket})
 * is waited for as {@link BusyRetry} says; any other refusal is an error
 * naming its reason.
 */
public final class Enroller {
    private final Duration timeout;
    private final BusyRetry busy;

    /** Connect and answer {@code timeout} per attempt; a busy console is waited for as {@link BusyRetry#standard()}, silently. */
    public Enroller(Duration timeout) {
        this(timeout, BusyRetry.standard());
    }

    public Enroller(Duration timeout, BusyRetry busy) {
        this.timeout = timeout;
        this.busy = busy;
    }

    /** Why the console or the TLS layer said no; the message is for the user. */
    public static final class EnrollmentException extends Exception {
        public EnrollmentException(String message) {
            super(message);
        }

        public EnrollmentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** This console could not be reached or is not a console: another address may do better. */
    private static final class ConsoleUnreachable extends Exception {
        final EnrollmentException error;

        ConsoleUnreachable(EnrollmentException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    /** The console refused this attempt and said when to come back. */
    private static final class ConsoleBusy extends Exception {
        final Refuse refuse;

        ConsoleBusy(Refuse refuse) {
            super(refuse.getReason().name(), null, false, false);
            this.refuse = refuse;
        }
    }

    /**
     * Enrolls {@code agentId} with {@code token}, trusting only a console whose
     * CA has {@code caFingerprint}; saves the result in {@code stateDir}.
     */
    public AgentCredentials enroll(ConsoleAddress console, String token, String caFingerprint, String agentId,
                                   HostFacts host, String agentVersion, Path stateDir) throws EnrollmentException {
        return enroll(List.of(console), token, caFingerprint, agentId, host, agentVersion, stateDir);
    }

    /**
     * As above with several console addresses (the nodes of one console, sharing its CA): a busy or
     * unreachable one is left for the next; the first to answer enrolls the agent.
     */
    public AgentCredentials enroll(List<ConsoleAddress> consoles, String token, String caFingerprint, String agentId,
                                   HostFacts host, String agentVersion, Path stateDir) throws EnrollmentException {
        KeyAndRequest kr = KeyAndRequest.create(agentId);
        PinnedTrust trust = new PinnedTrust(caFingerprint);
        Envelope request = Envelope.newBuilder().setEnrollRequest(EnrollRequest.newBuilder()
                .setToken(token).setCsr(com.google.protobuf.ByteString.copyFrom(kr.csr()))
                .setHost(host).setAgentVersion(agentVersion)).build();
        EnrollResponse r = exchange(consoles, context(null, trust), request);
        return accept(r, kr, trust.ca(), stateDir);
    }

    /** Gets a new certificate (and key) for the enrolled agent before its current one expires. */
    public AgentCredentials renew(ConsoleAddress console, AgentCredentials current, Path stateDir) throws EnrollmentException {
        return renew(List.of(console), current, stateDir);
    }

    /** As above with the console's several addresses, tried as for {@link #enroll(List, String, String, String, HostFacts, String, Path)}. */
    public AgentCredentials renew(List<ConsoleAddress> consoles, AgentCredentials current, Path stateDir) throws EnrollmentException {
        KeyAndRequest kr = KeyAndRequest.create(current.agentId());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("agent", current.key(), new char[0], new X509Certificate[] {current.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = context(kmf.getKeyManagers(), Tls.trustAnchoredAt(current.ca()));
            EnrollResponse r = exchange(consoles, ctx, Envelope.newBuilder().setRenewRequest(RenewRequest.newBuilder()
                    .setCsr(com.google.protobuf.ByteString.copyFrom(kr.csr()))).build());
            return accept(r, kr, current.ca(), stateDir);
        } catch (GeneralSecurityException | IOException e) {
            throw new EnrollmentException("cannot prepare renewal: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(KeyManager[] keys, javax.net.ssl.X509TrustManager trust) throws EnrollmentException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, new TrustManager[] {trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new EnrollmentException("no TLS available: " + e.getMessage(), e);
        }
    }

    /**
     * The exchange, tried again while consoles refuse for now, by the link's
     * rule ({@link BusyRotation}): a console that says when to come back is
     * left until then and the next address is tried at once; one that cannot
     * be reached is left for good; each wait ({@link Backoff#hinted}) is told
     * to {@link BusyRetry#progress}, within {@link BusyRetry}'s attempts and
     * time. A refusal for good (a used-up token) ends it at once.
     */
    private EnrollResponse exchange(List<ConsoleAddress> consoles, SSLContext ctx, Envelope request) throws EnrollmentException {
        BusyRotation rotation = new BusyRotation(consoles, new Backoff(busy.random()));
        for (int attempt = 1; ; attempt++) {
            ConsoleAddress console = consoles.get(rotation.current());
            BusyRotation.Next next;
            String why;
            try {
                return exchangeOnce(console, ctx, request);
            } catch (ConsoleBusy b) {
                Refuse r = b.refuse;
                next = rotation.busy(Integer.toUnsignedLong(r.getRetryAfterMs()), Integer.toUnsignedLong(r.getRetrySpreadMs()));
                why = "console " + console + " busy (" + r.getReason() + ")";
                Duration total = rotation.waited().plus(next.delay());
                if (attempt >= busy.maxAttempts() || total.compareTo(busy.maxWait()) > 0) {
                    throw new EnrollmentException(String.format(Locale.ROOT,
                            "the console at %s is still busy (%s) after %d attempt%s and %.1f s of waiting; try again later", console,
                            r.getReason(), attempt, attempt == 1 ? "" : "s", rotation.waited().toMillis() / 1000.0));
                }
            } catch (ConsoleUnreachable u) {
                next = rotation.failed();
                if (next.index() < 0 || attempt >= busy.maxAttempts()) {
                    throw u.error;
                }
                why = u.error.getMessage();
            }
            ConsoleAddress to = consoles.get(next.index());
            String where = to.equals(console) ? "retrying" : "trying " + to;
            busy.progress().accept(next.delay().isZero()
                    ? String.format(Locale.ROOT, "%s, %s (attempt %d of %d)", why, where, attempt + 1, busy.maxAttempts())
                    : String.format(Locale.ROOT, "%s, %s in %.1f s (attempt %d of %d)", why, where, next.delay().toMillis() / 1000.0,
                            attempt + 1, busy.maxAttempts()));
            try {
                busy.sleeper().sleep(next.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnrollmentException("interrupted while waiting for the busy console at " + to, e);
            }
            rotation.moveTo(next);
        }
    }

    /** Whether the console said when to come back: then this refusal is for now, not for good. */
    private static boolean saysWhenToComeBack(Refuse r) {
        return r.getRetryAfterMs() != 0 || r.getRetrySpreadMs() != 0;
    }

    private EnrollResponse exchangeOnce(ConsoleAddress console, SSLContext ctx, Envelope request)
            throws EnrollmentException, ConsoleBusy, ConsoleUnreachable {
        RefusalAwareSocket raw = new RefusalAwareSocket();
        try (raw) {
            raw.connect(new InetSocketAddress(console.host(), console.port()), (int) timeout.toMillis());
            raw.setSoTimeout((int) timeout.toMillis());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, console.host(), console.port(), true)) {
                s.setEnabledProtocols(Tls.PROTOCOLS.toArray(String[]::new));
                s.startHandshake();
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] body = request.toByteArray();
                out.writeInt(body.length);
                out.write(body);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                int length = in.readInt();
                if (length < 0 || length > WireProtocol.DEFAULT_MAX_FRAME_BYTES) {
                    throw new EnrollmentException("the console sent a frame of " + length + " bytes");
                }
                byte[] answer = in.readNBytes(length);
                Envelope e = Envelope.parseFrom(answer);
                return switch (e.getBodyCase()) {
                    case ENROLL_RESPONSE -> e.getEnrollResponse();
                    case REFUSE -> {
                        if (saysWhenToComeBack(e.getRefuse())) {
                            throw new ConsoleBusy(e.getRefuse());
                        }
                        throw new EnrollmentException("the console refused (" + e.getRefuse().getReason() + "): " + e.getRefuse().getMessage());
                    }
                    default -> throw new EnrollmentException("unexpected answer from the console: " + e.getBodyCase());
                };
            }
        } catch (IOException e) {
            Optional<Refuse> plain = raw.refusal();
            if (plain.isPresent()) {
                if (saysWhenToComeBack(plain.get())) {
                    throw new ConsoleBusy(plain.get());
                }
                throw new EnrollmentException("the console at " + console + " refused the connection before TLS ("
                        + plain.get().getReason() + "): " + plain.get().getMessage(), e);
            }
            if (!raw.problem().isEmpty()) {
                throw new ConsoleUnreachable(new EnrollmentException("the peer at " + console
                        + " sent something that is neither TLS nor a console's refusal: " + raw.problem(), e));
            }
            throw new ConsoleUnreachable(failed(console, e));
        }
    }

    private static EnrollmentException failed(ConsoleAddress console, IOException e) {
        if (e instanceof SSLHandshakeException) {
            return new EnrollmentException("TLS handshake with " + console + " failed: " + rootMessage(e), e);
        }
        return new EnrollmentException("cannot enroll with " + console + ": " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.toString() : r.getMessage();
    }

    private static AgentCredentials accept(EnrollResponse r, KeyAndRequest kr, X509Certificate pinnedCa, Path stateDir)
            throws EnrollmentException {
        try {
            X509Certificate cert = Tls.certificate(r.getCertificate().toByteArray());
            X509Certificate ca = Tls.certificate(r.getCaCertificate().toByteArray());
            if (pinnedCa == null || !ca.equals(pinnedCa)) {
                throw new EnrollmentException("the console answered with a different CA than the one it presented");
            }
            cert.verify(ca.getPublicKey());
            if (!cert.getPublicKey().equals(kr.keyPair().getPublic())) {
                throw new EnrollmentException("the console's certificate is not for our key");
            }
            if (!Tls.commonName(cert).equals(r.getAgentId())) {
                throw new EnrollmentException("the certificate's agent id differs from the answer's");
            }
            AgentCredentials creds = new AgentCredentials(r.getAgentId(), kr.keyPair().getPrivate(), cert, ca);
            creds.save(stateDir);
            return creds;
        } catch (GeneralSecurityException e) {
            throw new EnrollmentException("the console's certificate is unusable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EnrollmentException("cannot save the enrollment in " + stateDir + ": " + e.getMessage(), e);
        }
    }
}
