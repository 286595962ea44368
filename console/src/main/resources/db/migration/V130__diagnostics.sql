-- Safe diagnostics (docs/diagnostics.md): every request, its outcome and its
-- output. Migrations V130-V139 belong to diagnostics. Times are ms since the
-- Unix epoch. params and summary are JSON objects. state is one of pending
-- (waiting to be sent: two run at once per agent), running (sent to the
-- agent), done, failed, refused, timed_out.
CREATE TABLE diagnostics (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    agent_id       TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    params         TEXT    NOT NULL,
    ticket_id      INTEGER,
    requested_by   TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    message        TEXT    NOT NULL DEFAULT '',
    truncated      INTEGER NOT NULL DEFAULT 0,
    content_type   TEXT    NOT NULL DEFAULT '',
    summary        TEXT    NOT NULL DEFAULT '{}',
    bytes          INTEGER NOT NULL DEFAULT 0,
    timeout_ms     INTEGER NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    started_at_ms  INTEGER,
    finished_at_ms INTEGER
);
CREATE INDEX diagnostics_by_agent ON diagnostics (agent_id, id);
CREATE INDEX diagnostics_by_ticket ON diagnostics (ticket_id, id);
CREATE INDEX diagnostics_by_state ON diagnostics (state, id);

-- The output, as the agent sent it: chunks of at most 64 KiB, base64 text (the
-- same column type on every store). A chunk sent twice is stored once.
CREATE TABLE diagnostic_chunks (
    diagnostic_id INTEGER NOT NULL REFERENCES diagnostics (id),
    chunk         INTEGER NOT NULL,
    data          TEXT    NOT NULL,
    PRIMARY KEY (diagnostic_id, chunk)
);
