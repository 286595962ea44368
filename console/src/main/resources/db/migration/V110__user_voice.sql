-- The user's voice (docs/tickets.md, "Tickets from users"): tickets opened by
-- the endpoint's user with `firstline-agent report`, and the reports behind
-- them. Migrations V110-V119 belong to the user's voice.

-- Where a ticket came from: 'fault' (a rule fired) or 'user' (a report).
ALTER TABLE tickets ADD COLUMN source TEXT NOT NULL DEFAULT 'fault';
CREATE INDEX tickets_by_agent_source ON tickets (agent_id, source, id);

-- One row per report; report_id (made by the agent) keeps a report replayed
-- after an outage from opening a second ticket. snapshot is JSON
-- ({"tables": [...], "events": [...]}); related lists the ids of the machine's
-- fault tickets that were open when the report arrived.
CREATE TABLE user_reports (
    report_id      TEXT    NOT NULL PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES tickets (id),
    agent_id       TEXT    NOT NULL,
    reporter       TEXT    NOT NULL,
    text           TEXT    NOT NULL,
    snapshot       TEXT    NOT NULL,
    related        TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    boot_epoch     INTEGER NOT NULL,
    sequence       INTEGER NOT NULL
);
CREATE INDEX user_reports_by_ticket ON user_reports (ticket_id);
