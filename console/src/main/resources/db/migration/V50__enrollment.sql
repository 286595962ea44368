-- Enrollment: tokens, enrolled agents, revoked certificates and the audit
-- log (docs/security.md). Times are ms since the Unix epoch. Migrations
-- V50-V69 belong to enrollment.

-- An enrollment token. Only the SHA-256 of the secret is kept; `id` is the
-- public handle shown in lists and used to revoke.
CREATE TABLE enrollment_tokens (
    id            TEXT    NOT NULL PRIMARY KEY,
    token_hash    TEXT    NOT NULL UNIQUE,
    site          TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    max_uses      INTEGER NOT NULL,
    uses          INTEGER NOT NULL DEFAULT 0,
    revoked_at_ms INTEGER,
    created_by    TEXT    NOT NULL
);

-- One row per agent id ever enrolled, with its current certificate.
CREATE TABLE enrolled_agents (
    agent_id          TEXT    NOT NULL PRIMARY KEY,
    site              TEXT    NOT NULL,
    enrolled_at_ms    INTEGER NOT NULL,
    token_id          TEXT,
    cert_serial       TEXT    NOT NULL,
    cert_not_after_ms INTEGER NOT NULL,
    revoked_at_ms     INTEGER
);

-- Every certificate serial the console no longer accepts (agent revoked,
-- or superseded by re-enrollment). Checked during each TLS handshake.
CREATE TABLE revoked_certificates (
    serial        TEXT    NOT NULL PRIMARY KEY,
    agent_id      TEXT    NOT NULL,
    revoked_at_ms INTEGER NOT NULL,
    reason        TEXT    NOT NULL
);

-- Append-only: the code only ever INSERTs here.
CREATE TABLE audit_log (
    id       INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at_ms    INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
