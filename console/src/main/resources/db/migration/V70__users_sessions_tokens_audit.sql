-- Web console accounts (docs/web-console.md). Migrations V70-V99 belong to
-- the web console. Times are milliseconds since the Unix epoch.

CREATE TABLE users (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    username         TEXT    NOT NULL UNIQUE,
    role             TEXT    NOT NULL CHECK (role IN ('admin', 'engineer', 'viewer')),
    -- pbkdf2-sha256$iterations$salt$hash (base64), see auth.Passwords
    password_hash    TEXT    NOT NULL,
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_at_ms    INTEGER NOT NULL
);

-- A browser session. Only a SHA-256 of the cookie value is kept, so a copy
-- of the database does not hand out live sessions.
CREATE TABLE sessions (
    id_hash          TEXT    NOT NULL PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users (id),
    csrf_token       TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    expires_at_ms    INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- API tokens for scripts (Authorization: Bearer); hashed like sessions.
CREATE TABLE api_tokens (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    token_hash       TEXT    NOT NULL UNIQUE,
    user_id          INTEGER NOT NULL REFERENCES users (id),
    name             TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    revoked_at_ms    INTEGER
);

-- Every state change made through the web console or the API. The same
-- table (and shape) as enrollment's audit log (V50): one audit log for the
-- console. IF NOT EXISTS because V50 creates it where enrollment is present.
-- detail is a JSON object (here: outcome = HTTP status or result, remote).
CREATE TABLE IF NOT EXISTS audit_log (
    id       INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at_ms    INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (at_ms);
