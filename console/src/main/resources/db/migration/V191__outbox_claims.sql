-- Several console nodes drain one notification outbox (docs/operations.md,
-- "Several console nodes"): a node claims due rows until claimed_until_ms
-- (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED), posts them, and clears the
-- claim with the outcome; a node that dies leaves its claims to expire.
ALTER TABLE notification_outbox ADD COLUMN claimed_until_ms INTEGER;
