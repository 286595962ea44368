-- Intake tokens (docs/intake.md): Bearer tokens that may only post alerts to
-- /api/intake/... and nothing else. Hashed like API tokens (SHA-256), so a
-- copy of the database hands out no live token. Migrations V125-V129 belong
-- to reports and interop (issue 15). Times are ms since the Unix epoch.
CREATE TABLE intake_tokens (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    token_hash       TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    created_by       TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    last_used_at_ms  INTEGER,
    revoked_at_ms    INTEGER
);
