package io.firstline.console.enroll;

import com.google.protobuf.ByteString;
import io.firstline.console.enroll.EnrollmentRepository.AgentRow;
import io.firstline.console.enroll.EnrollmentRepository.TokenRow;
import io.firstline.console.pki.AgentTrust;
import io.firstline.console.pki.ConsoleCa;
import io.firstline.console.store.Store;
import io.firstline.proto.EnrollRequest;
import io.firstline.proto.EnrollResponse;
import io.firstline.proto.RenewRequest;
import io.firstline.wire.Tls;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment tokens, agent certificates and revocation, kept in the store
 * with every change written to the append-only audit log. Tokens are shown
 * once, when created; the store keeps only their SHA-256 (they are 256-bit
 * random, so a plain hash is enough).
 */
public final class Enrollment implements AgentTrust.Revocations {
    private static final Logger log = LoggerFactory.getLogger(Enrollment.class);
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SITE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}");
    private static final String TOKEN_PREFIX = "flt1_";
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final Duration MAX_TTL = Duration.ofDays(365);
    public static final int MAX_USES = 100_000;
    /** How long a renewed agent's previous certificate stays accepted if the new one is not presented sooner. */
    public static final Duration RENEWAL_OVERLAP = Duration.ofHours(1);

    private final Store store;
    private final ConsoleCa ca;
    private final Clock clock;

    public Enrollment(Store store, ConsoleCa ca, Clock clock) {
        this.store = store;
        this.ca = ca;
        this.clock = clock;
    }

    /** An enrollment or renewal the console will not grant; the message goes back to the agent. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private static final class Rollback extends RuntimeException {
        Rollback(String message) {
            super(message, null, false, false);
        }
    }

    public String caFingerprint() {
        return ca.fingerprint();
    }

    public TokenInfo createToken(String site, Duration ttl, int maxUses, String actor) {
        if (site == null || !SITE.matcher(site).matches()) {
            throw new IllegalArgumentException("site must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
        }
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be between 1m and 365d, got " + ttl);
        }
        if (maxUses < 1 || maxUses > MAX_USES) {
            throw new IllegalArgumentException("max uses must be between 1 and " + MAX_USES + ", got " + maxUses);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[5];
        RANDOM.nextBytes(idBytes);
        String id = "tok_" + HexFormat.of().formatHex(idBytes);
        long now = clock.millis();
        TokenRow row = new TokenRow(id, hash(token), site, now, now + ttl.toMillis(), maxUses, 0, null, actor);
        store.write(c -> {
            EnrollmentRepository.insertToken(c, row);
            EnrollmentRepository.audit(c, now, actor, AuditEntry.TOKEN_CREATED, id,
                    "site=" + site + " ttl=" + ttl + " maxUses=" + maxUses);
            return null;
        });
        return info(row, token);
    }

    public List<TokenInfo> tokens() {
        return store.read(c -> EnrollmentRepository.tokens(c).stream().map(t -> info(t, null)).toList());
    }

    /** Revokes a token; false if there is no such token or it was revoked already. */
    public boolean revokeToken(String id, String actor) {
        long now = clock.millis();
        return store.write(c -> {
            boolean done = EnrollmentRepository.revokeToken(c, id, now);
            if (done) {
                EnrollmentRepository.audit(c, now, actor, AuditEntry.TOKEN_REVOKED, id, "");
            }
            return done;
        });
    }

    /**
     * Grants a certificate for the CSR's agent id if the token is valid. An
     * agent id that is already enrolled is granted only to that agent itself
     * (its current certificate on this connection); its old certificate is
     * then revoked as superseded. A revoked id stays revoked.
     */
    public EnrollResponse enroll(EnrollRequest req, Optional<X509Certificate> peer, String remote) throws Refused {
        Csr csr = Csr.parse(req.getCsr());
        X509Certificate cert = ca.issueAgent(csr.agentId, csr.key);
        long now = clock.millis();
        String tokenHash = hash(req.getToken());
        String[] site = new String[1];
        try {
            store.write(c -> {
                TokenRow t = EnrollmentRepository.tokenByHash(c, tokenHash).orElseThrow(() -> new Rollback("unknown enrollment token"));
                if (!EnrollmentRepository.useToken(c, t.id(), now)) {
                    throw new Rollback("enrollment token " + t.id() + " is " + info(t, null).state(Instant.ofEpochMilli(now)));
                }
                Optional<AgentRow> existing = EnrollmentRepository.agent(c, csr.agentId);
                if (existing.isPresent()) {
                    if (existing.get().revokedAtMs() != null) {
                        throw new Rollback("agent id " + csr.agentId + " was revoked; enroll with --new-identity");
                    }
                    boolean self = peer.isPresent() && Tls.commonName(peer.get()).equals(csr.agentId);
                    if (!self) {
                        throw new Rollback("agent id " + csr.agentId + " is already enrolled; revoke it first or enroll with --new-identity");
                    }
                    EnrollmentRepository.revokeSerial(c, existing.get().certSerial(), csr.agentId, now, "superseded");
                }
                EnrollmentRepository.upsertAgent(c, new AgentRow(csr.agentId, t.site(), now, t.id(), ConsoleCa.serialOf(cert),
                        cert.getNotAfter().getTime(), null));
                EnrollmentRepository.audit(c, now, "agent:" + csr.agentId, AuditEntry.TOKEN_USED, t.id(), "from " + remote);
                EnrollmentRepository.audit(c, now, "token:" + t.id(), AuditEntry.AGENT_ENROLLED, csr.agentId,
                        "site=" + t.site() + " host=" + req.getHost().getHostname() + " serial=" + ConsoleCa.serialOf(cert)
                                + (existing.isPresent() ? " (re-enrolled)" : ""));
                site[0] = t.site();
                return null;
            });
        } catch (Rollback r) {
            store.write(c -> {
                EnrollmentRepository.audit(c, now, "agent:" + csr.agentId, AuditEntry.TOKEN_REFUSED, csr.agentId,
                        r.getMessage() + " (from " + remote + ")");
                return null;
            });
            throw new Refused(r.getMessage());
        }
        log.info("agent {} enrolled from {} (site {})", csr.agentId, remote, site[0]);
        return response(csr.agentId, cert, site[0]);
    }

    /** A new certificate for the agent on this connection, which proved itself with its current one. */
    public EnrollResponse renew(RenewRequest req, X509Certificate peer, String remote) throws Refused {
        Csr csr = Csr.parse(req.getCsr());
        String agentId = Tls.commonName(peer);
        if (!csr.agentId.equals(agentId)) {
            throw new Refused("a renewal must keep the agent id " + agentId);
        }
        if (isRevoked(agentId, ConsoleCa.serialOf(peer))) {
            // The handshake refuses such a certificate, but not on a resumed TLS session.
            throw new Refused("the certificate of agent " + agentId + " is revoked or was replaced by a renewal");
        }
        X509Certificate cert = ca.issueAgent(agentId, csr.key);
        long now = clock.millis();
        try {
            String site = store.write(c -> {
                AgentRow a = EnrollmentRepository.agent(c, agentId).filter(x -> x.revokedAtMs() == null)
                        .orElseThrow(() -> new Rollback("agent " + agentId + " is not enrolled or was revoked"));
                String presented = ConsoleCa.serialOf(peer);
                if (!a.certSerial().equals(presented)) {
                    // Renewed again with the previous certificate (the agent lost the new one): that one was never used.
                    EnrollmentRepository.revokeSerial(c, a.certSerial(), agentId, now, "replaced before use");
                }
                EnrollmentRepository.renewAgent(c, agentId, ConsoleCa.serialOf(cert), cert.getNotAfter().getTime(), presented,
                        now + RENEWAL_OVERLAP.toMillis());
                EnrollmentRepository.audit(c, now, "agent:" + agentId, AuditEntry.AGENT_RENEWED, agentId,
                        "serial=" + ConsoleCa.serialOf(cert) + " from " + remote);
                return a.site();
            });
            return response(agentId, cert, site);
        } catch (Rollback r) {
            throw new Refused(r.getMessage());
        }
    }

    /** Revokes an agent: every certificate it holds is refused from the next handshake on. */
    public boolean revokeAgent(String agentId, String actor) {
        long now = clock.millis();
        return store.write(c -> {
            Optional<AgentRow> a = EnrollmentRepository.agent(c, agentId);
            if (a.isEmpty() || !EnrollmentRepository.revokeAgent(c, agentId, now)) {
                return false;
            }
            EnrollmentRepository.revokeSerial(c, a.get().certSerial(), agentId, now, "agent revoked");
            EnrollmentRepository.audit(c, now, actor, AuditEntry.AGENT_REVOKED, agentId, "serial=" + a.get().certSerial());
            return true;
        });
    }

    /**
     * Whether a handshake's certificate is refused: revoked, of an agent
     * unknown or revoked here, or replaced by a renewal whose overlap is over.
     * The overlap ends when the new certificate is first presented, or
     * {@link #RENEWAL_OVERLAP} after the renewal, whichever comes first.
     */
    @Override
    public boolean isRevoked(String agentId, String serial) {
        if (!store.available()) {
            // Refused at once (fail closed), not after the pool's timeout on one of the few TLS handshake threads.
            throw new IllegalStateException("cannot check whether the certificate of agent " + agentId + " is revoked: the store "
                    + store.describe() + " is unavailable");
        }
        long now = clock.millis();
        EnrollmentRepository.CertificateUse use = store.read(c -> EnrollmentRepository.use(c, agentId, serial, now));
        if (use == EnrollmentRepository.CertificateUse.FIRST_USE_AFTER_RENEWAL) {
            store.write(c -> {
                EnrollmentRepository.endOverlap(c, agentId, now);
                return null;
            });
            log.info("agent {} presented its renewed certificate; the previous one is refused from now on", agentId);
        }
        return use == EnrollmentRepository.CertificateUse.REFUSED;
    }

    /** Whether the store of enrollments and revocations answers now (a lost PostgreSQL store does not). */
    public boolean storeAvailable() {
        return store.available();
    }

    /** The store, as it describes itself in messages. */
    public String storeName() {
        return store.describe();
    }

    /** An agent as enrollment knows it. */
    public record EnrolledAgent(String agentId, String site, Instant enrolledAt, boolean revoked) {
    }

    /** Every agent ever enrolled here, for the fleet to know them before they connect. */
    public List<EnrolledAgent> enrolledAgents() {
        return store.read(c -> EnrollmentRepository.agents(c).stream().map(a -> new EnrolledAgent(a.agentId(), a.site(),
                Instant.ofEpochMilli(a.enrolledAtMs()), a.revokedAtMs() != null)).toList());
    }

    /** Ids of every revoked agent, for the fleet view. */
    public Set<String> revokedAgents() {
        return store.read(c -> Set.copyOf(EnrollmentRepository.revokedAgentIds(c)));
    }

    /** The site of the token {@code agentId} enrolled with; empty for an id never enrolled. */
    public Optional<String> site(String agentId) {
        return store.read(c -> EnrollmentRepository.agent(c, agentId).map(AgentRow::site));
    }

    /** Whether {@code agentId} is known here, and revoked. Empty for an id never enrolled. */
    public Optional<Boolean> revoked(String agentId) {
        return store.read(c -> EnrollmentRepository.agent(c, agentId).map(a -> a.revokedAtMs() != null));
    }

    public List<AuditEntry> audit(int limit) {
        return store.read(c -> EnrollmentRepository.auditLog(c, limit));
    }

    private EnrollResponse response(String agentId, X509Certificate cert, String site) {
        try {
            return EnrollResponse.newBuilder().setAgentId(agentId).setCertificate(ByteString.copyFrom(cert.getEncoded()))
                    .setCaCertificate(ByteString.copyFrom(ca.certificate().getEncoded())).setSite(site).build();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TokenInfo info(TokenRow t, String secret) {
        return new TokenInfo(t.id(), t.site(), Instant.ofEpochMilli(t.createdAtMs()), Instant.ofEpochMilli(t.expiresAtMs()),
                t.maxUses(), t.uses(), t.revokedAtMs() == null ? null : Instant.ofEpochMilli(t.revokedAtMs()), t.createdBy(), secret);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.trim().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicKey publicKey(byte[] spki) throws java.security.GeneralSecurityException {
        java.security.spec.X509EncodedKeySpec spec = new java.security.spec.X509EncodedKeySpec(spki);
        try {
            return java.security.KeyFactory.getInstance("EC").generatePublic(spec);
        } catch (java.security.GeneralSecurityException notEc) {
            return java.security.KeyFactory.getInstance("RSA").generatePublic(spec);
        }
    }

    /** A checked certificate signing request: signature valid, CN a valid agent id, key strong enough. */
    private record Csr(String agentId, PublicKey key) {
        static Csr parse(ByteString der) throws Refused {
            try {
                PKCS10CertificationRequest req = new PKCS10CertificationRequest(der.toByteArray());
                PublicKey key = publicKey(req.getSubjectPublicKeyInfo().getEncoded());
                if (!req.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                    throw new Refused("the CSR's signature is not valid");
                }
                RDN[] cn = req.getSubject().getRDNs(BCStyle.CN);
                String id = cn.length == 1 ? IETFUtils.valueToString(cn[0].getFirst().getValue()) : "";
                if (!AGENT_ID.matcher(id).matches()) {
                    throw new Refused("the CSR's CN must be an agent id (letters, digits, '.', '_', '-'; at most 64)");
                }
                boolean strong = key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() >= 256
                        || key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048;
                if (!strong) {
                    throw new Refused("the CSR's key must be EC P-256 or larger, or RSA 2048 or larger");
                }
                return new Csr(id, key);
            } catch (Refused r) {
                throw r;
            } catch (Exception e) {
                log.debug("unreadable CSR", e);
                throw new Refused("the CSR is not a valid PKCS#10 request");
            }
        }
    }
}
