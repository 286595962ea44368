-- The knowledge base (docs/knowledge-base.md). Migrations V100-V109 belong to
-- it. Portable SQL only: the full-text index is dialect-specific and lives in
-- db/sqlite (FTS5) and, later, db/postgresql (tsvector), next to each store.

-- One row per article, the current version. tags, rules and os are
-- space-separated words (rules in the order the article lists them).
CREATE TABLE kb_articles (
    id               TEXT    NOT NULL PRIMARY KEY,
    title            TEXT    NOT NULL,
    symptoms         TEXT    NOT NULL,
    cause            TEXT    NOT NULL,
    fix              TEXT    NOT NULL,
    user_text        TEXT    NOT NULL,
    tags             TEXT    NOT NULL,
    rules            TEXT    NOT NULL,
    os               TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    source           TEXT    NOT NULL,
    source_ticket_id INTEGER,
    created_at_ms    INTEGER NOT NULL,
    created_by       TEXT    NOT NULL,
    updated_at_ms    INTEGER NOT NULL,
    updated_by       TEXT    NOT NULL
);

-- Every change of an article: who, when, which fields (changes is a JSON object).
CREATE TABLE kb_history (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    article_id TEXT    NOT NULL REFERENCES kb_articles (id),
    version    INTEGER NOT NULL,
    at_ms      INTEGER NOT NULL,
    actor      TEXT    NOT NULL,
    changes    TEXT    NOT NULL,
    note       TEXT    NOT NULL
);
CREATE INDEX kb_history_by_article ON kb_history (article_id, version);

-- An article attached to a ticket (usedCount); resolved_at_ms is set when the
-- ticket was resolved with it, which becomes fixedCount once the reopen window
-- passes without the ticket being reopened.
CREATE TABLE kb_usage (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    article_id     TEXT    NOT NULL REFERENCES kb_articles (id),
    ticket_id      INTEGER NOT NULL REFERENCES tickets (id),
    rule_id        TEXT    NOT NULL,
    at_ms          INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    resolved_at_ms INTEGER
);
CREATE INDEX kb_usage_by_article ON kb_usage (article_id);
CREATE INDEX kb_usage_by_rule ON kb_usage (rule_id, at_ms);

-- Searches people made, to show what the knowledge base is missing: a search
-- whose results nobody opened (opened_article NULL) found no answer.
CREATE TABLE kb_searches (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at_ms          INTEGER NOT NULL,
    actor          TEXT    NOT NULL,
    query          TEXT    NOT NULL,
    results        INTEGER NOT NULL,
    opened_article TEXT
);
CREATE INDEX kb_searches_by_query ON kb_searches (query);
