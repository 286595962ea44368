-- The fleet as the console last knew it (docs/architecture.md, "Fleet
-- state"), so that a restart forgets no agent: every agent from its
-- enrollment (or first Hello) on, with its last facts and when it was last
-- heard. Written on connect, disconnect and facts changes and every 30 s,
-- never per sample. Migrations V80-V84 belong to the fleet.
-- hello and inventory are the agent's last Hello and Inventory messages
-- (protobuf, base64); NULL until the agent first sent one.
CREATE TABLE fleet_agents (
    agent_id       TEXT    NOT NULL PRIMARY KEY,
    site           TEXT    NOT NULL DEFAULT '',
    hostname       TEXT    NOT NULL DEFAULT '',
    hello          TEXT,
    inventory      TEXT,
    known_since_ms INTEGER NOT NULL,
    last_seen_ms   INTEGER,
    cpu            REAL,
    memory         REAL,
    fullest_disk   REAL,
    fullest_mount  TEXT    NOT NULL DEFAULT '',
    updated_at_ms  INTEGER NOT NULL
);
