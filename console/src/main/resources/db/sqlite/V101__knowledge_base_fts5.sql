-- SQLite's full-text index of the knowledge base (FTS5, ranked with bm25).
-- Triggers keep it in step with kb_articles, so the portable repository code
-- never writes it. Porter stemming plus unicode61 without diacritics: "disks"
-- finds "disk", "resume" finds "résumé". KbSearch queries it.
CREATE VIRTUAL TABLE kb_fts USING fts5(
    article_id UNINDEXED, title, tags, rules, symptoms, cause, fix, user_text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER kb_fts_insert AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_fts (article_id, title, tags, rules, symptoms, cause, fix, user_text)
    VALUES (new.id, new.title, new.tags, replace(new.rules, '_', ' '), new.symptoms, new.cause, new.fix, new.user_text);
END;

CREATE TRIGGER kb_fts_update AFTER UPDATE ON kb_articles BEGIN
    DELETE FROM kb_fts WHERE article_id = old.id;
    INSERT INTO kb_fts (article_id, title, tags, rules, symptoms, cause, fix, user_text)
    VALUES (new.id, new.title, new.tags, replace(new.rules, '_', ' '), new.symptoms, new.cause, new.fix, new.user_text);
END;

CREATE TRIGGER kb_fts_delete AFTER DELETE ON kb_articles BEGIN
    DELETE FROM kb_fts WHERE article_id = old.id;
END;
