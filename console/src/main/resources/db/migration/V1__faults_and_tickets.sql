-- Faults and the tickets they open (docs/tickets.md).
-- Times are milliseconds since the Unix epoch (INTEGER), so the same columns
-- work on PostgreSQL as BIGINT. Migrations V1-V49 belong to fault detection
-- and tickets; V50-V69 to enrollment; V70-V99 to the web console.

-- What the console last heard about each fault key (agent/rule/resource).
-- boot_epoch + sequence of the last applied event make replays idempotent.
CREATE TABLE faults (
    fault_key     TEXT    NOT NULL PRIMARY KEY,
    agent_id      TEXT    NOT NULL,
    rule_id       TEXT    NOT NULL,
    resource      TEXT    NOT NULL,
    active        INTEGER NOT NULL,
    raised_at_ms  INTEGER NOT NULL,
    cleared_at_ms INTEGER,
    value         REAL,
    boot_epoch    INTEGER NOT NULL,
    sequence      INTEGER NOT NULL,
    ticket_id     INTEGER
);
CREATE INDEX faults_active_by_agent ON faults (agent_id, active);

CREATE TABLE tickets (
    id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    fault_key          TEXT    NOT NULL,
    agent_id           TEXT    NOT NULL,
    rule_id            TEXT    NOT NULL,
    resource           TEXT    NOT NULL,
    site               TEXT    NOT NULL DEFAULT '',
    hostname           TEXT    NOT NULL DEFAULT '',
    severity           TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    user_text          TEXT    NOT NULL,
    kb_articles        TEXT    NOT NULL DEFAULT '',
    escalation_level   INTEGER NOT NULL DEFAULT 0,
    assignee           TEXT,
    recurrences        INTEGER NOT NULL DEFAULT 0,
    previous_ticket_id INTEGER REFERENCES tickets (id),
    fault_active       INTEGER NOT NULL,
    muted              INTEGER NOT NULL DEFAULT 0,
    opened_at_ms       INTEGER NOT NULL,
    acked_at_ms        INTEGER,
    resolved_at_ms     INTEGER,
    closed_at_ms       INTEGER,
    updated_at_ms      INTEGER NOT NULL
);
-- The rule that makes tickets idempotent: at most one live ticket per fault key.
CREATE UNIQUE INDEX tickets_one_live_per_fault ON tickets (fault_key) WHERE state IN ('open', 'acknowledged');
CREATE INDEX tickets_by_fault ON tickets (fault_key, id);
CREATE INDEX tickets_by_state ON tickets (state, id);

-- Every event of a ticket, in order. detail is a JSON object.
CREATE TABLE ticket_events (
    id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    at_ms     INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    detail    TEXT    NOT NULL
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, id);

-- Maintenance windows: faults of matching agents are recorded but notify no one.
-- scope is 'agent', 'site' or 'tag'; ended_at_ms is set when someone ends it early.
CREATE TABLE maintenance_windows (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    scope       TEXT    NOT NULL,
    scope_value TEXT    NOT NULL,
    starts_at_ms INTEGER NOT NULL,
    ends_at_ms  INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    ended_at_ms INTEGER
);

-- Durable outbox of webhook notifications, drained by its own thread.
CREATE TABLE notification_outbox (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    ticket_id       INTEGER NOT NULL REFERENCES tickets (id),
    target          TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    delivered_at_ms INTEGER,
    failed_at_ms    INTEGER,
    last_error      TEXT,
    created_at_ms   INTEGER NOT NULL
);
CREATE INDEX notification_outbox_due ON notification_outbox (delivered_at_ms, failed_at_ms, next_attempt_ms);
