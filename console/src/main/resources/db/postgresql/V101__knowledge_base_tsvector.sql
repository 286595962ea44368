-- PostgreSQL's full-text index of the knowledge base (the counterpart of
-- db/sqlite/V101, FTS5): a stored tsvector column kept by PostgreSQL itself
-- and a GIN index. Weights: title A; tags and linked rules B; symptoms and
-- cause C; fix and end-user text D. Each part is indexed twice: with English
-- stemming ("disks" finds "disk") and as plain words (so that words English
-- drops as stop words, "or", "it", are still found, as FTS5 finds them).
-- Words are runs of letters and digits, as in a search (SearchQuery): other
-- characters become spaces first, so "/var" is the word "var", as in FTS5's
-- unicode61 tokenizer, not PostgreSQL's file-path token. PgSearch queries it.
CREATE FUNCTION firstline_kb_words(text, "char") RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('english', regexp_replace(coalesce($1, ''), '[^[:alnum:]]+', ' ', 'g')), $2)
        || setweight(to_tsvector('simple', regexp_replace(coalesce($1, ''), '[^[:alnum:]]+', ' ', 'g')), $2)
$$;

ALTER TABLE kb_articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    firstline_kb_words(title, 'A') ||
    firstline_kb_words(tags || ' ' || rules, 'B') ||
    firstline_kb_words(symptoms || ' ' || cause, 'C') ||
    firstline_kb_words(fix || ' ' || user_text, 'D')
) STORED;
CREATE INDEX kb_articles_search ON kb_articles USING GIN (search);
