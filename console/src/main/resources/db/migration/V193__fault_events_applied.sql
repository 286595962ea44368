-- Every sequenced fault event (raise or clear) of an agent that the console
-- applied, written in the same transaction as its effect on the fault and
-- its ticket. A replay is recognised by this row, however the agent ordered
-- its sends: after a reconnect live messages go out before the spooled
-- backlog, so a newer event of the same fault can arrive before an older one
-- that was never applied (docs/protocol.md, "Spool, replay and backfill").
-- Pruned when the agent says it holds nothing of the epoch below a sequence
-- (SeriesDictionary.oldest_pending), and after 30 days in any case.
CREATE TABLE fault_events_applied (
    agent_id      TEXT    NOT NULL,
    boot_epoch    INTEGER NOT NULL,
    sequence      INTEGER NOT NULL,
    applied_at_ms INTEGER NOT NULL,
    PRIMARY KEY (agent_id, boot_epoch, sequence)
);
CREATE INDEX fault_events_applied_age ON fault_events_applied (applied_at_ms);
