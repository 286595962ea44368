package io.firstline.console.kb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes knowledge-base search with any text a person (or a ticket) can
 * bring, against the shipped articles in a real SQLite FTS5 index. The
 * corpus holds FTS5 syntax (quotes, {@code *}, {@code NEAR(}, {@code OR},
 * column filters, parentheses), SQL, control characters and other scripts.
 * Contract: the text is reduced to at most 16 words of letters and digits,
 * and both a person's search (every word) and a ticket's (any word) answer
 * without an error.
 */
class KbQueryFuzzTest {
    /** What {@link SearchQuery#fts5()} may produce: quoted prefix terms joined by spaces or OR. */
    private static final Pattern FTS5 = Pattern.compile("(\"[\\p{L}\\p{N}]{1,64}\"\\*( OR | )?)*");

    @TempDir
    static Path dir;
    static KbFixture f;

    @BeforeAll
    static void open() {
        f = new KbFixture(dir, io.firstline.console.store.StoreKind.SQLITE); // FTS5 query syntax is what it fuzzes
        f.kb.loadDefaults();
    }

    @AfterAll
    static void close() {
        f.close();
    }

    @FuzzTest
    void anyQueryTextIsWordsNeverAnError(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SearchQuery q = SearchQuery.all(text);
        assertTrue(q.words().size() <= SearchQuery.MAX_WORDS, q.words().toString());
        assertTrue(FTS5.matcher(q.fts5()).matches(), q.fts5());
        KnowledgeBase.Page page = f.kb.search(text, KnowledgeBase.Filter.ANY, 0, 10, "");
        assertTrue(page.total() >= 0 && page.results().size() <= 10);
        for (KnowledgeBase.Result r : page.results()) {
            // A search ranks by relevance; no words at all is the plain list.
            assertTrue(q.isEmpty() ? r.relevance() == 0 : r.relevance() > 0, r.article().id() + " " + r.relevance());
        }
        SearchQuery any = SearchQuery.any(text);
        assertTrue(FTS5.matcher(any.fts5()).matches(), any.fts5());
        f.kb.matches(any, 10);
    }
}
