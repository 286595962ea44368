package io.firstline.console.auth;

import io.firstline.console.store.Store;
import io.firstline.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, logins, sessions and API tokens of the web console, kept in the
 * store. Logins are slow on purpose (PBKDF2) and rate-limited; callers run
 * {@link #login} off the event loop.
 */
public final class Accounts {
    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** File in the data directory with the first admin's one-time password. */
    public static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final UserRepository users;
    private final SessionRepository sessions;
    private final AuditLog audit;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final Clock clock;
    // A hash to verify against for unknown users, so timing does not tell which names exist.
    private final String decoyHash;

    public Accounts(Store store, Clock clock, Passwords passwords) {
        this.users = new UserRepository(store);
        this.sessions = new SessionRepository(store);
        this.audit = new AuditLog(store, clock);
        this.passwords = passwords;
        this.throttle = new LoginThrottle(clock, 5, Duration.ofMinutes(5));
        this.clock = clock;
        this.decoyHash = passwords.hash(Secrets.token(12));
    }

    public UserRepository users() {
        return users;
    }

    public AuditLog audit() {
        return audit;
    }

    /** A new browser session: the cookie value and the CSRF token that goes with it. */
    public record NewSession(String sessionId, Principal principal) {
    }

    /** What a login attempt came to. */
    public sealed interface LoginResult {
        record Ok(NewSession session) implements LoginResult {
        }

        record Refused() implements LoginResult {
        }

        record Throttled(Duration retryAfter) implements LoginResult {
        }
    }

    public LoginResult login(String username, String password, String remote) {
        Duration wait = throttle.retryAfter(username, remote);
        if (!wait.isZero() && !wait.isNegative()) {
            audit.record(username, "login", username, "throttled", remote);
            return new LoginResult.Throttled(wait);
        }
        Optional<UserRepository.WithHash> u = users.findWithHash(username);
        boolean ok = passwords.verify(password, u.map(UserRepository.WithHash::passwordHash).orElse(decoyHash))
                && u.isPresent() && !u.get().user().disabled();
        if (!ok) {
            throttle.failed(username, remote);
            audit.record(username, "login", username, "refused", remote);
            return new LoginResult.Refused();
        }
        throttle.succeeded(username);
        User user = u.get().user();
        String id = Secrets.token(32);
        String csrf = Secrets.token(32);
        Instant now = clock.instant();
        sessions.createSession(id, user.id(), csrf, now, now.plus(SESSION_LIFETIME));
        sessions.deleteExpired(now);
        audit.record(user.username(), "login", user.username(), "ok", remote);
        return new LoginResult.Ok(new NewSession(id, new Principal(user.id(), user.username(), user.role(), csrf, false,
                u.get().mustChangePassword())));
    }

    public void logout(String sessionId, Principal who, String remote) {
        sessions.deleteSession(sessionId);
        audit.record(who.username(), "logout", who.username(), "ok", remote);
    }

    public Optional<Principal> session(String sessionId) {
        return sessions.session(sessionId, clock.instant());
    }

    public Optional<Principal> apiToken(String token) {
        return sessions.apiToken(token, clock.instant());
    }

    /** A new API token: its id and its secret, which is shown once. */
    public record NewApiToken(long id, String secret, String name, Instant createdAt, Instant expiresAt) {
    }

    /** Creates an API token for {@code username} that never expires; returns the secret, shown once. */
    public String createApiToken(String username, String name) {
        return createApiToken(username, name, null).secret();
    }

    /** Creates an API token for {@code username}, valid for {@code lifetime} (null: until revoked). */
    public NewApiToken createApiToken(String username, String name, Duration lifetime) {
        User u = users.find(username).orElseThrow(() -> new IllegalArgumentException("no user " + username));
        String token = "flt_" + Secrets.token(32);
        Instant now = clock.instant();
        Instant expires = lifetime == null ? null : now.plus(lifetime);
        long id = sessions.createApiToken(token, u.id(), name, now, expires);
        return new NewApiToken(id, token, name, now, expires);
    }

    /**
     * Revokes {@code username}'s tokens called {@code name} and makes a new
     * one: the demo's token, replaced at every start so an old copy stops working.
     */
    public String replaceApiToken(String username, String name) {
        User u = users.find(username).orElseThrow(() -> new IllegalArgumentException("no user " + username));
        sessions.revokeApiTokens(u.id(), name, clock.instant());
        return createApiToken(username, name);
    }

    /** The newest tokens of one user, or of everyone when {@code username} is empty (the admin view). */
    public List<ApiToken> apiTokens(String username, int limit) {
        if (username.isEmpty()) {
            return sessions.apiTokens(0, limit);
        }
        return users.find(username).map(u -> sessions.apiTokens(u.id(), limit)).orElse(List.of());
    }

    /**
     * Revokes one token: of {@code owner} only, or any when {@code owner} is
     * empty (an admin). False if there is no such unrevoked token.
     */
    public boolean revokeApiToken(long id, String owner) {
        long userId = owner.isEmpty() ? 0 : users.find(owner).map(User::id).orElse(-1L);
        return userId >= 0 && sessions.revokeApiToken(id, userId, clock.instant());
    }

    /** Checks a user name: lower-case letters, digits, dot, dash, underscore; up to 64. */
    public static String checkUsername(String name) {
        if (name == null || !USERNAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name must be 1-64 of a-z 0-9 . _ - and start with a letter or digit");
        }
        return name;
    }

    /** Creates a user with a random one-time password, which is returned; empty if the name is taken. */
    public Optional<String> createUser(String username, Role role) {
        checkUsername(username);
        String password = Secrets.password(16);
        return users.create(username, role, passwords.hash(password), clock.instant()) ? Optional.of(password) : Optional.empty();
    }

    /** Minimum length of a password a user chooses. */
    public static final int MIN_PASSWORD_LENGTH = 10;

    /**
     * Changes a user's own password after checking the current one; ends
     * their other sessions. False if the current password is wrong.
     *
     * @throws IllegalArgumentException if the new password is too short
     */
    public boolean changePassword(String username, String current, String replacement, String remote) {
        if (replacement == null || replacement.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("the new password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        Optional<UserRepository.WithHash> u = users.findWithHash(username);
        if (u.isEmpty() || !passwords.verify(current, u.get().passwordHash())) {
            audit.record(username, "password.change", username, "refused", remote);
            return false;
        }
        users.setPassword(username, passwords.hash(replacement), false);
        audit.record(username, "password.change", username, "ok", remote);
        return true;
    }

    /**
     * An admin's reset: gives a user a new one-time password (changed at
     * their first browser sign-in), ends their sessions and revokes their API
     * tokens. Empty if there is no such user.
     */
    public Optional<String> resetPassword(String username) {
        Optional<User> u = users.find(username);
        if (u.isEmpty()) {
            return Optional.empty();
        }
        String password = Secrets.password(16);
        users.setPassword(username, passwords.hash(password), true);
        sessions.revokeApiTokens(u.get().id(), null, clock.instant());
        return Optional.of(password);
    }

    /**
     * Sets a password that is not one-time (the demo's printed login, which
     * is for immediate use); ends the user's sessions, keeps their tokens.
     * False if there is no such user.
     */
    public boolean setPassword(String username, String password) {
        return users.setPassword(username, passwords.hash(password), false);
    }

    /**
     * On first start (no users yet) creates {@code admin} with a one-time
     * password, logs it and writes it to {@value #INITIAL_PASSWORD_FILE}
     * (mode 0600) in {@code dataDir}. Returns the password if it made one.
     */
    public Optional<String> bootstrapAdmin(Path dataDir) {
        if (users.count() > 0) {
            return Optional.empty();
        }
        Optional<String> pw = createUser("admin", Role.ADMIN);
        pw.ifPresent(p -> {
            Path file = dataDir.resolve(INITIAL_PASSWORD_FILE);
            writeSecret(file, "admin " + p + "\n");
            audit.record("console", "user.create", "admin", "ok", "");
            log.warn("first start: created user 'admin' with one-time password {} (also in {}); change it after signing in",
                    p, file);
        });
        return pw;
    }

    /** Writes {@code content} to a file readable only by its owner (0600 where the file system has POSIX modes). */
    public static void writeSecret(Path file, String content) {
        try {
            PrivateFiles.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
