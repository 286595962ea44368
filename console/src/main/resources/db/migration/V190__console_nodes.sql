-- Several console nodes on one store (docs/operations.md, "Several console
-- nodes"). Migrations V190-V199 belong to it. Times are ms since the epoch.

-- What every node on this store must share: the CA agents pin. The first
-- node to start records its fingerprint; a node with another CA refuses to join.
CREATE TABLE console_cluster (
    id             INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    ca_fingerprint TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL
);

-- Every node that started on this store: its addresses, its version, and
-- when it last said it was alive.
CREATE TABLE console_nodes (
    node_id       TEXT    NOT NULL PRIMARY KEY,
    version       TEXT    NOT NULL,
    agent_address TEXT    NOT NULL,
    http_address  TEXT    NOT NULL,
    started_at_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL
);
