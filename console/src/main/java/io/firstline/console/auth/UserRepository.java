package io.firstline.console.auth;

import io.firstline.console.store.Sql;
import io.firstline.console.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users in the store (table {@code users}, migration V70). */
public final class UserRepository {
    private static final String COLUMNS = "id, username, role, disabled, created_at_ms";

    /** A user and the stored hash of their password, for logins only. */
    record WithHash(User user, String passwordHash, boolean mustChangePassword) {
    }

    private final Store store;

    public UserRepository(Store store) {
        this.store = store;
    }

    private static User map(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), Role.parse(rs.getString("role")),
                rs.getInt("disabled") != 0, Instant.ofEpochMilli(rs.getLong("created_at_ms")));
    }

    public long count() {
        return store.read(c -> Sql.one(c, "SELECT COUNT(*) FROM users", rs -> rs.getLong(1)).orElse(0L));
    }

    public List<User> list() {
        return store.read(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM users ORDER BY username", UserRepository::map));
    }

    public Optional<User> find(String username) {
        return store.read(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM users WHERE username = ?", UserRepository::map, username));
    }

    Optional<WithHash> findWithHash(String username) {
        return store.read(c -> Sql.one(c, "SELECT " + COLUMNS + ", password_hash, must_change_password FROM users WHERE username = ?",
                rs -> new WithHash(map(rs), rs.getString("password_hash"), rs.getInt("must_change_password") != 0), username));
    }

    /** Creates a user whose password is one-time (must be changed at the first browser sign-in); false if the name is taken. */
    public boolean create(String username, Role role, String passwordHash, Instant now) {
        return store.write(c -> {
            if (Sql.one(c, "SELECT id FROM users WHERE username = ?", rs -> rs.getLong(1), username).isPresent()) {
                return false;
            }
            Sql.insert(c, "INSERT INTO users (username, role, password_hash, disabled, created_at_ms, must_change_password)"
                            + " VALUES (?, ?, ?, 0, ?, 1)",
                    username, role.label(), passwordHash, now.toEpochMilli());
            return true;
        });
    }

    public boolean setRole(String username, Role role) {
        return store.write(c -> Sql.update(c, "UPDATE users SET role = ? WHERE username = ?", role.label(), username) == 1);
    }

    /** Sets a new password hash, one-time or not, and ends the user's sessions. */
    public boolean setPassword(String username, String passwordHash, boolean oneTime) {
        return store.write(c -> {
            int n = Sql.update(c, "UPDATE users SET password_hash = ?, must_change_password = ? WHERE username = ?",
                    passwordHash, oneTime, username);
            Sql.update(c, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)", username);
            return n == 1;
        });
    }

    /** Disables or enables a user; disabling ends their sessions and revokes nothing else (tokens stop working too). */
    public boolean setDisabled(String username, boolean disabled) {
        return store.write(c -> {
            int n = Sql.update(c, "UPDATE users SET disabled = ? WHERE username = ?", disabled, username);
            if (disabled) {
                Sql.update(c, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)", username);
            }
            return n == 1;
        });
    }
}
