package io.firstline.console.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.tickets.Ticket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import io.firstline.console.store.StoreKind;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;

/** Ranking with fixtures: linked articles first (in the rule's order), then text matches, then what fixed this rule. */
@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class SuggestionsTest {
    @Parameter
    StoreKind storeKind;

    @TempDir
    Path dir;
    KbFixture f;
    Suggestions suggestions;

    @BeforeEach
    void open() {
        f = new KbFixture(dir, storeKind);
        suggestions = new Suggestions(f.kb);
        // The rule lists kb-linked-b before kb-linked-a; neither mentions the ticket's words.
        f.article("kb-linked-a", "Procedure A", "unrelated words", List.of(), List.of());
        f.article("kb-linked-b", "Procedure B", "unrelated words", List.of(), List.of());
        f.article("kb-text-strong", "File system almost full", "The file system is almost full; used space above 90%.",
                List.of(), List.of());
        f.article("kb-text-weak", "Backups", "A backup written under /var can fill it.", List.of(), List.of());
        f.article("kb-fixer", "Our own runbook", "zzz nothing in common", List.of(), List.of());
        f.article("kb-windows-only", "File system almost full on Windows", "file system almost full", List.of(),
                List.of("windows"));
        f.kb.create("kb-draft", new ArticleEdit("File system almost full draft", "file system almost full", "", "", "",
                null, null, null, Article.Status.DRAFT), "t", "written", null, "");
        f.article("kb-unrelated", "Printer jams", "paper tray", List.of(), List.of());
    }

    @AfterEach
    void close() {
        f.close();
    }

    private List<String> ids(List<Suggestions.Suggestion> s) {
        return s.stream().map(Suggestions.Suggestion::id).toList();
    }

    @Test
    void linkedFirstInTheRulesOrderThenTextThenUsage() {
        // kb-fixer fixed two earlier tickets of this rule.
        for (String agent : new String[] {"old1", "old2"}) {
            Ticket old = f.raise(agent, "/data");
            f.tickets.resolve(old.id(), "erin", "", f.kb.resolveWith("kb-fixer", "erin", false));
        }
        Ticket t = f.raise("a1", "/var");
        List<Suggestions.Suggestion> s = suggestions.forTicket(t, "Ubuntu");
        assertEquals(List.of("kb-linked-b", "kb-linked-a", "kb-text-strong", "kb-text-weak", "kb-fixer"), ids(s), s.toString());
        assertTrue(s.get(0).reason().startsWith("linked to rule disk_almost_full (1st of 2)"), s.get(0).reason());
        assertTrue(s.get(2).reason().contains("\"file\"") && s.get(2).reason().contains("\"full\""), s.get(2).reason());
        assertEquals("fixed 2 disk_almost_full tickets in the last 90 days", s.get(4).reason());
        for (int i = 1; i < s.size(); i++) {
            assertTrue(s.get(i - 1).score() > s.get(i).score(), s.toString());
        }
    }

    @Test
    void recentFixesOrderArticlesWithinATierAndOsAndDraftsAreRespected() {
        // Articles for another OS and drafts are not suggested; on a Windows host the Windows article is.
        Ticket t = f.raise("a1", "/var");
        List<String> linux = ids(suggestions.forTicket(t, "Debian GNU/Linux"));
        assertTrue(!linux.contains("kb-windows-only") && !linux.contains("kb-draft") && !linux.contains("kb-unrelated"),
                linux.toString());
        List<String> windows = ids(suggestions.forTicket(t, "Windows"));
        assertTrue(windows.contains("kb-windows-only"), windows.toString());

        // Two articles with the same text: the one that fixed this rule ranks first.
        String same = "The file system is almost full; used space above 90%.";
        f.article("kb-twin-1", "File system almost full", same, List.of(), List.of());
        f.article("kb-twin-2", "File system almost full", same, List.of(), List.of());
        Ticket old = f.raise("old", "/x");
        f.tickets.resolve(old.id(), "erin", "", f.kb.resolveWith("kb-twin-2", "erin", false));
        List<String> again = ids(suggestions.forTicket(f.raise("a2", "/y"), "Linux"));
        assertTrue(again.contains("kb-twin-1") && again.indexOf("kb-twin-2") < again.indexOf("kb-twin-1"), again.toString());
    }
}
