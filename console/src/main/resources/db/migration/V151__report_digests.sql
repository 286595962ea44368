-- The weekly digest of the common problems (docs/reports.md). It goes out
-- through the durable notification outbox like ticket notifications, but is
-- about no one ticket: the outbox's ticket_id becomes optional. SQLite cannot
-- drop a NOT NULL, so the table is rebuilt (rows, order and indexes kept).
CREATE TABLE notification_outbox_v151 (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    ticket_id       INTEGER REFERENCES tickets (id),
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
INSERT INTO notification_outbox_v151 (ticket_id, target, event, payload, attempts, next_attempt_ms, delivered_at_ms,
                                      failed_at_ms, last_error, created_at_ms)
    SELECT ticket_id, target, event, payload, attempts, next_attempt_ms, delivered_at_ms, failed_at_ms, last_error, created_at_ms
    FROM notification_outbox ORDER BY id;
DROP TABLE notification_outbox;
ALTER TABLE notification_outbox_v151 RENAME TO notification_outbox;
CREATE INDEX notification_outbox_due ON notification_outbox (delivered_at_ms, failed_at_ms, next_attempt_ms);

-- One row per digest made: week_ms is the start (ms) of the week a scheduled
-- digest belongs to, so each week's goes out once however often the console
-- restarts; NULL for one sent by hand. payload is the JSON that was queued,
-- targets the notification targets it was queued for (comma-separated).
CREATE TABLE report_digests (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    week_ms       INTEGER UNIQUE,
    created_at_ms INTEGER NOT NULL,
    created_by    TEXT    NOT NULL,
    from_ms       INTEGER NOT NULL,
    to_ms         INTEGER NOT NULL,
    targets       TEXT    NOT NULL,
    payload       TEXT    NOT NULL
);
