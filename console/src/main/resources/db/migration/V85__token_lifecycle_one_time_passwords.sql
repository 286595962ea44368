-- Every credential can be listed, revoked and expires (docs/security.md).
-- API tokens get the time they were last used (updated at most once a
-- minute) and an optional expiry; NULL = never used / never expires.
ALTER TABLE api_tokens ADD COLUMN last_used_at_ms INTEGER;
ALTER TABLE api_tokens ADD COLUMN expires_at_ms INTEGER;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- 1 while the user's password is a one-time password (first start, "create
-- user", an admin's reset): a browser session may then only change it.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
