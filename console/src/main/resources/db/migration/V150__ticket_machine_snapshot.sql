-- Reports (docs/reports.md). Migrations V150-V154 belong to the reports.
-- The machine a ticket is about, as it was when the ticket opened: the
-- common-problems report groups by these, and they must not change when the
-- machine is upgraded or re-imaged later. The site is already kept (site).
-- Empty = unknown (no agent, or a ticket opened before this migration).
ALTER TABLE tickets ADD COLUMN os_family TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN os_version TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN hardware TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN agent_version TEXT NOT NULL DEFAULT '';
-- The reports read tickets by the time they opened.
CREATE INDEX tickets_by_opened ON tickets (opened_at_ms);
-- The service report counts timeline entries (raises, flaps, reopens) by time.
CREATE INDEX ticket_events_by_time ON ticket_events (at_ms);
