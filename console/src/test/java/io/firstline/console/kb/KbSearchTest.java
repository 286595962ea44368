package io.firstline.console.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import io.firstline.console.store.StoreKind;

/**
 * Search over the shipped knowledge base in a real store (SQLite's FTS5, PostgreSQL's tsvector): prefix
 * matching, ranking, snippets, filters, and query text that FTS5 would
 * otherwise read as syntax ({@link KbQueryFuzzTest} fuzzes that).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class KbSearchTest {
    @Parameter
    StoreKind storeKind;

    @TempDir
    static Path dir;
    static KbFixture f;

    @BeforeParameterizedClassInvocation
    static void open(StoreKind kind) {
        f = new KbFixture(dir, kind);
        f.kb.loadDefaults();
    }

    @AfterParameterizedClassInvocation
    static void close() {
        f.close();
    }

    static List<String> ids(String q) {
        return f.kb.search(q, KnowledgeBase.Filter.ANY, 0, 50, "").results().stream().map(r -> r.article().id()).toList();
    }

    @Test
    void wordsMatchAsPrefixesAndTheTitleRanksFirst() {
        assertEquals("kb-inodes", ids("inode").get(0));
        assertEquals("kb-inodes", ids("ino").get(0));
        assertTrue(ids("smart").contains("kb-disk-health"), ids("smart").toString());
        // Every word must match.
        assertTrue(ids("battery dns").isEmpty(), ids("battery dns").toString());
        // Stemming: "batteries" finds the battery article.
        assertEquals("kb-battery", ids("batteries").get(0));
    }

    @Test
    void snippetsMarkTheMatchedWords() {
        KnowledgeBase.Result r = f.kb.search("thermal paste", KnowledgeBase.Filter.ANY, 0, 5, "").results().get(0);
        assertEquals("kb-overheating", r.article().id());
        assertTrue(r.relevance() > 0);
        List<String> marked = r.snippet().stream().filter(KbSearch.Part::match).map(p -> p.text().toLowerCase()).toList();
        assertTrue(marked.contains("thermal") || marked.contains("paste"), r.snippet().toString());
        String text = String.join("", r.snippet().stream().map(KbSearch.Part::text).toList());
        assertTrue(text.toLowerCase().contains("thermal"), text);
    }

    @Test
    void filtersByTagRuleOsAndStatusAndPages() {
        List<String> disk = f.kb.search("", new KnowledgeBase.Filter("disk", "", "", ""), 0, 100, "").results().stream()
                .map(r -> r.article().id()).toList();
        assertTrue(disk.containsAll(List.of("kb-disk-cleanup", "kb-inodes", "kb-readonly-fs")) && !disk.contains("kb-dns"), disk.toString());
        assertEquals(List.of("kb-memory"), f.kb.search("", new KnowledgeBase.Filter("", "swap_thrashing", "", ""), 0, 100, "")
                .results().stream().map(r -> r.article().id()).toList());
        assertTrue(f.kb.search("", new KnowledgeBase.Filter("", "", "windows", ""), 0, 100, "").results().stream()
                .noneMatch(r -> r.article().id().equals("kb-inodes")));
        assertEquals(0, f.kb.search("", new KnowledgeBase.Filter("", "", "", "draft"), 0, 100, "").total());
        KnowledgeBase.Page p = f.kb.search("", KnowledgeBase.Filter.ANY, 5, 5, "");
        assertEquals(DefaultKb.articles().size(), p.total());
        assertEquals(5, p.results().size());
    }

    @Test
    void syntaxCharactersSeparateWordsSoTheyStillFind() {
        assertEquals("kb-inodes", ids("\"inodes\" (").get(0));
        assertEquals("kb-inodes", ids("inodes*) -(").get(0));
        assertEquals("kb-dns", ids("(\"dns\"*:").get(0));
        assertTrue(ids("or").size() > 0, "OR is a word like any other");
    }
}
