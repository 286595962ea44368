-- Certificate renewal overlap (docs/security.md): after a renewal the
-- previous certificate stays accepted until the new one is first presented
-- or until previous_until_ms, whichever comes first; then it is refused.
-- Migrations V90-V99 belong to the agent link's contracts (issue 10).
ALTER TABLE enrolled_agents ADD COLUMN previous_serial TEXT;
ALTER TABLE enrolled_agents ADD COLUMN previous_until_ms INTEGER;
