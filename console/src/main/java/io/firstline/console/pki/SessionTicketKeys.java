package io.firstline.console.pki;

import io.firstline.files.PrivateFiles;
import io.firstline.wire.Tls;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that encrypt the TLS session tickets of the agent port, so that an
 * agent resumes its session after a console restart, or on another node,
 * without the certificate-path check and signatures of a full handshake.
 *
 * <p>One secret, {@code DATA/pki/session-ticket.secret} (32 random bytes,
 * PEM, 0600, written atomically), made on first start and kept like the CA
 * key: nodes that share a store and a CA share it by the same copy
 * (docs/operations.md), and a store dump never holds it. Each UTC day has its
 * own ticket key, derived from the secret with HMAC-SHA256, so keys rotate
 * daily with no coordination between nodes: tickets are issued under today's
 * key and accepted under the two days before (BoringSSL's TLS 1.3 tickets
 * live two days) and tomorrow's (a node whose clock runs ahead). A key that
 * leaks from memory tells nothing of the other days' keys. An unreadable
 * secret is replaced by a fresh one with a warning: agents then make one full
 * handshake each, and the console starts as usual.
 */
public final class SessionTicketKeys {
    private static final Logger log = LoggerFactory.getLogger(SessionTicketKeys.class);
    public static final String FILE_NAME = "session-ticket.secret";
    static final String PEM_TYPE = "FIRSTLINE SESSION TICKET SECRET";
    static final int SECRET_BYTES = 32;
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final byte[] LABEL = "firstline agent-port session ticket key v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] secret;
    private final Clock clock;

    SessionTicketKeys(byte[] secret, Clock clock) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a session-ticket secret is " + SECRET_BYTES + " bytes, got " + secret.length);
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** Reads the secret from {@code pkiDir}, making it if absent, and a fresh one if it is unreadable. */
    public static SessionTicketKeys loadOrCreate(Path pkiDir, Clock clock) throws IOException {
        Path file = pkiDir.resolve(FILE_NAME);
        try {
            return new SessionTicketKeys(parse(Files.readString(file, StandardCharsets.US_ASCII)), clock);
        } catch (NoSuchFileException absent) {
            log.info("made the TLS session-ticket secret {}", file);
        } catch (IOException | IllegalArgumentException unreadable) {
            log.warn("the TLS session-ticket secret {} is unreadable ({}): replaced by a fresh one;"
                    + " agents make one full TLS handshake each, and other nodes need a copy of the new file", file,
                    unreadable.getMessage());
        }
        byte[] fresh = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(fresh);
        PrivateFiles.write(file, Tls.pem(PEM_TYPE, fresh).getBytes(StandardCharsets.US_ASCII));
        return new SessionTicketKeys(fresh, clock);
    }

    /** The secret in the file's text; refuses anything but one PEM block of the right size. */
    static byte[] parse(String text) {
        byte[] der = Tls.fromPem(text, PEM_TYPE);
        if (der.length != SECRET_BYTES) {
            throw new IllegalArgumentException("it holds " + der.length + " bytes, not " + SECRET_BYTES);
        }
        return der;
    }

    /** The UTC day (days since the epoch) that issues tickets now. */
    public long today() {
        return Math.floorDiv(clock.millis(), DAY_MS);
    }

    /**
     * The keys for BoringSSL, the one that issues tickets first: today's,
     * then tomorrow's and the two days before, which only decrypt.
     */
    public OpenSslSessionTicketKey[] current() {
        long d = today();
        return new OpenSslSessionTicketKey[] {key(d), key(d + 1), key(d - 1), key(d - 2)};
    }

    /** The ticket key of {@code day}: name, HMAC key and AES key, 16 bytes each, derived from the secret. */
    OpenSslSessionTicketKey key(long day) {
        byte[] a = derive(day, (byte) 1);
        byte[] b = derive(day, (byte) 2);
        return new OpenSslSessionTicketKey(Arrays.copyOfRange(a, 0, 16), Arrays.copyOfRange(a, 16, 32), Arrays.copyOfRange(b, 0, 16));
    }

    private byte[] derive(long day, byte block) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(LABEL);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(day).array());
            mac.update(block);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
