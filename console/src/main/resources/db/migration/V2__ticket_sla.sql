-- SLA clock of a ticket: restarts when the ticket reopens. The breach flags
-- make each breach recorded (and counted) once per cycle.
ALTER TABLE tickets ADD COLUMN sla_started_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_ack_breached INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_resolve_breached INTEGER NOT NULL DEFAULT 0;
