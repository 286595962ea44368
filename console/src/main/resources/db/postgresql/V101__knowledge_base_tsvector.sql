-- PostgreSQL's full-text index of the knowledge base (the counterpart of
-- db/sqlite/V101, FTS5): a stored tsvector column kept by PostgreSQL itself
-- and a GIN index. Weights: title A; tags and linked rules B; symptoms and
-- cause C; fix and end-user text D. English stemming ("disks" finds "disk").
-- PgSearch queries it.
ALTER TABLE kb_articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(tags, '') || ' ' || replace(coalesce(rules, ''), '_', ' ')), 'B') ||
    setweight(to_tsvector('english', coalesce(symptoms, '') || ' ' || coalesce(cause, '')), 'C') ||
    setweight(to_tsvector('english', coalesce(fix, '') || ' ' || coalesce(user_text, '')), 'D')
) STORED;
CREATE INDEX kb_articles_search ON kb_articles USING GIN (search);
