-- Every node sees the whole fleet (docs/architecture.md, "Several nodes").
-- Each node writes the agents connected to it here: at their connect (before
-- the Welcome), at once when they disconnect, and twice a second in
-- one batch for those that changed. Every other node reads the rows written
-- since the revision it last read, twice a second. Per-sample data never
-- comes here; only the few facts a fleet row shows. Times are ms since the
-- epoch, each node's clock.
CREATE TABLE fleet_presence (
    agent_id        TEXT    NOT NULL PRIMARY KEY,
    node_id         TEXT    NOT NULL,
    connected       INTEGER NOT NULL,
    connected_at_ms INTEGER NOT NULL,
    known_since_ms  INTEGER NOT NULL,
    last_seen_ms    INTEGER,
    hello           TEXT,
    site            TEXT    NOT NULL,
    cpu             REAL,
    memory          REAL,
    fullest_disk    REAL,
    fullest_mount   TEXT    NOT NULL,
    revision        INTEGER NOT NULL
);
CREATE INDEX fleet_presence_by_revision ON fleet_presence (revision);

-- The revision counter, one row made by the first batch: a batch takes the
-- next number under this row's lock, which it holds until it commits, so
-- revisions commit in order and a reader that saw revision R has seen every
-- row of revisions up to R.
CREATE TABLE fleet_presence_clock (
    id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);

-- Each agent's sequence ledger as its node last settled it: every sequence
-- of the boot epoch up to settled_through is applied (or known lost). The
-- node an agent reconnects to starts from here, so a message another node
-- applied is acknowledged again, not applied twice.
CREATE TABLE agent_ledgers (
    agent_id        TEXT    NOT NULL,
    boot_epoch      INTEGER NOT NULL,
    settled_through INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (agent_id, boot_epoch)
);

-- Work that exactly one node does at a time (the console-side rules): the
-- holder renews its lease every second; another node takes it over once it
-- has expired.
CREATE TABLE console_leases (
    name           TEXT    NOT NULL PRIMARY KEY,
    holder         TEXT    NOT NULL,
    acquired_at_ms INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL
);
