package io.firstline.console.enroll;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Single-use, short-lived install codes: what the one-line agent install
 * command carries instead of the enrollment token. The admin page gets a code
 * with each new token; the install script trades it once, over
 * {@code POST /install/token}, for the token, which then only ever lives in a
 * 0600 file of the script's. A code is worth nothing after that exchange or
 * after {@link #TTL}, so finding it later in a shell history or a process
 * list gives nothing.
 *
 * <p>Codes are held in memory only, keyed by their SHA-256, beside the token
 * they stand for: the token's secret is never written to disk here, and a
 * console restart simply voids the outstanding codes (the admin makes a new
 * token). A code is 192 random bits, so guessing one is hopeless and needs
 * no lockout; at most {@link #MAX_OUTSTANDING} wait at once, the oldest
 * dropped first.
 */
public final class InstallCodes {
    /** How long a code may wait for its one use. */
    public static final Duration TTL = Duration.ofMinutes(30);
    static final int MAX_OUTSTANDING = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Pending(String token, Instant expiresAt) {
    }

    /** A new code and until when it may be used. */
    public record Issued(String code, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    public InstallCodes(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** A fresh code for {@code token}, valid for {@link #TTL} or until the token expires, whichever is sooner. */
    public synchronized Issued issue(String token, Instant tokenExpiresAt) {
        Objects.requireNonNull(token);
        Instant now = clock.instant();
        sweep(now);
        while (pending.size() >= MAX_OUTSTANDING) {
            pending.remove(pending.keySet().iterator().next());
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String code = "fic_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant until = now.plus(TTL).isBefore(tokenExpiresAt) ? now.plus(TTL) : tokenExpiresAt;
        pending.put(hash(code), new Pending(token, until));
        return new Issued(code, until);
    }

    /** The token behind {@code code}, once: the code is gone afterwards. Empty for an unknown, used or expired code. */
    public synchronized Optional<String> redeem(String code) {
        if (code == null || code.isBlank() || code.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        sweep(now);
        Pending p = pending.remove(hash(code.trim()));
        return p == null ? Optional.empty() : Optional.of(p.token());
    }

    synchronized int outstanding() {
        sweep(clock.instant());
        return pending.size();
    }

    private void sweep(Instant now) {
        pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
    }

    private static String hash(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
