package io.firstline.console.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import io.firstline.console.store.StoreKind;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedClass;

@ParameterizedClass(name = "{0}")
@MethodSource("io.firstline.console.store.StoreKind#all")
class KnowledgeBaseTest {
    @Parameter
    StoreKind storeKind;

    @TempDir
    Path dir;
    KbFixture f;

    @BeforeEach
    void open() {
        f = new KbFixture(dir, storeKind);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void shippedArticlesLoadOnceAndEditsSurviveTheNextStart() {
        assertEquals(DefaultKb.articles().size(), f.kb.loadDefaults());
        Article a = f.kb.get("kb-readonly-fs").orElseThrow();
        assertTrue(a.published() && a.fix().contains("dmesg"), a.fix());
        f.kb.update(a.id(), 1, new ArticleEdit("Read-only, our way", null, null, null, null, null, null, null, null), "erin", "");
        assertEquals(0, f.kb.loadDefaults());
        assertEquals("Read-only, our way", f.kb.get("kb-readonly-fs").orElseThrow().title());
    }

    @Test
    void everyEditIsVersionedWithWhoWhenAndWhatAndAStaleVersionConflicts() {
        f.article("kb-one", "Disk full", "old symptoms\nsecond line", List.of(), List.of());
        f.clock.advance(Duration.ofMinutes(5));
        Article v2 = f.kb.update("kb-one", 1, new ArticleEdit(null, "old symptoms\nnew line", null, null, null,
                List.of("disk", "space"), null, null, null), "erin", "clearer symptoms");
        assertEquals(2, v2.version());
        assertEquals("erin", v2.updatedBy());
        // Someone else still editing version 1 does not overwrite erin's change.
        KbException e = assertThrows(KbException.class, () -> f.kb.update("kb-one", 1,
                new ArticleEdit("Other title", null, null, null, null, null, null, null, null), "sam", ""));
        assertEquals(KbException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("erin"), e.getMessage());
        assertEquals("Disk full", f.kb.get("kb-one").orElseThrow().title());

        List<ArticleChange> h = f.kb.history("kb-one");
        assertEquals(2, h.size());
        assertEquals(2, h.get(0).version());
        assertEquals("erin", h.get(0).actor());
        assertEquals("clearer symptoms", h.get(0).note());
        assertEquals(f.clock.instant(), h.get(0).at());
        assertTrue(h.get(0).changes().contains("\"symptoms\":{") && h.get(0).changes().contains("\"linesAdded\":1")
                && h.get(0).changes().contains("\"tags\":{\"from\":[\"test\"],\"to\":[\"disk\",\"space\"]}"), h.get(0).changes());
        assertEquals("tester", h.get(1).actor());

        // An edit that changes nothing makes no version.
        assertEquals(2, f.kb.update("kb-one", 2, ArticleEdit.NONE, "erin", "").version());
        assertEquals(2, f.kb.history("kb-one").size());
    }

    @Test
    void badArticlesAreRefusedWithTheReason() {
        String big = "x".repeat(Article.MAX_BYTES);
        assertThrows(Article.TooLargeException.class, () -> f.article("kb-big", "Big", big, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> f.article("Not A Slug", "t", "", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> f.article("stats", "t", "", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> f.article("kb-os", "t", "", List.of(), List.of("beos")));
        f.article("kb-dup", "t", "", List.of(), List.of());
        assertEquals(KbException.Kind.CONFLICT, assertThrows(KbException.class,
                () -> f.article("kb-dup", "t", "", List.of(), List.of())).kind());
        // Without an id, one is made from the title.
        Article a = f.kb.create(null, new ArticleEdit("Wi-Fi drops: “roaming” fails", "", "", "", "", null, null, null, null),
                "erin", "written", null, "");
        assertEquals("kb-wi-fi-drops-roaming-fails", a.id());
        assertEquals(Article.Status.DRAFT, a.status());
    }

    @Test
    void usedCountsAtOnceFixedCountsOnlyWhenTheTicketStaysResolvedThroughTheReopenWindow() {
        f.article("kb-linked-a", "Clean the disk", "", List.of(), List.of());
        Ticket t1 = f.raise("a1", "/var");
        f.tickets.resolve(t1.id(), "erin", "cleaned", f.kb.resolveWith("kb-linked-a", "erin", false));
        assertEquals(new Usage(1, 0, 1), f.kb.usage("kb-linked-a"));

        Ticket t2 = f.raise("a2", "/home");
        f.tickets.resolve(t2.id(), "erin", "cleaned", f.kb.resolveWith("kb-linked-a", "erin", false));
        f.clear("a2", "/home");
        f.clock.advance(Duration.ofMinutes(10));
        f.raise("a2", "/home"); // recurs within the window: reopened, so not fixed
        f.clock.advance(KbFixture.REOPEN);
        assertEquals(new Usage(2, 1, 0), f.kb.usage("kb-linked-a"));

        // Unknown article: refused before anything changes.
        Ticket t3 = f.raise("a3", "/");
        assertEquals(KbException.Kind.NOT_FOUND, assertThrows(KbException.class,
                () -> f.kb.resolveWith("kb-nope", "erin", false)).kind());
        assertEquals("open", f.tickets.get(t3.id()).orElseThrow().state().label());
    }

    @Test
    void resolvingWithTellUserPutsTheArticlesUserTextOnThePublicTimeline() {
        f.article("kb-linked-a", "Clean the disk", "", List.of(), List.of());
        Ticket t = f.raise("a1", "/var");
        f.tickets.resolve(t.id(), "erin", "", f.kb.resolveWith("kb-linked-a", "erin", true));
        List<TicketEvent> events = f.tickets.timeline(t.id());
        TicketEvent resolved = events.stream().filter(e -> e.kind().equals("resolved")).findFirst().orElseThrow();
        assertTrue(resolved.detail().contains("\"articleId\":\"kb-linked-a\""), resolved.detail());
        TicketEvent pub = events.stream().filter(e -> e.kind().equals("replied")).findFirst().orElseThrow();
        assertTrue(pub.detail().contains("user text of kb-linked-a") && pub.detail().contains("\"public\":true"), pub.detail());
    }

    @Test
    void aResolvedTicketBecomesADraftWithItsValuesCommentsAndResolution() {
        Ticket t = f.raise("a1", "/var");
        f.tickets.comment(t.id(), "erin", "journal was 40 GB");
        f.tickets.resolve(t.id(), "erin", "journalctl --vacuum-size=200M");
        Ticket resolved = f.tickets.get(t.id()).orElseThrow();
        ArticleEdit d = ResolutionDrafts.draft(resolved, f.tickets.timeline(t.id()), "Ubuntu");
        Article a = f.kb.create(null, d, "erin", "ticket", t.id(), "");
        assertEquals("kb-file-system-var-almost-full", a.id());
        assertEquals(Article.Status.DRAFT, a.status());
        assertTrue(a.symptoms().contains("`fs.used_ratio` was 0.95"), a.symptoms());
        assertTrue(a.cause().contains("erin: journal was 40 GB"), a.cause());
        assertTrue(a.fix().contains("journalctl --vacuum-size=200M"), a.fix());
        assertEquals(List.of("disk_almost_full"), a.rules());
        assertEquals(List.of("linux"), a.os());
        assertEquals("Your disk is full.", a.userText());
        // An open ticket cannot be turned into an article yet.
        Ticket open = f.raise("a2", "/");
        assertEquals(KbException.Kind.CONFLICT, assertThrows(KbException.class,
                () -> ResolutionDrafts.draft(open, f.tickets.timeline(open.id()), "")).kind());
    }

    @Test
    void searchesNobodyOpenedAreCountedAsUnansweredOnceWhileTyped() {
        f.article("kb-printer", "Printer offline", "queue stuck", List.of(), List.of());
        for (String typed : new String[] {"v", "vp", "vpn", "vpn drop", "vpn drops"}) {
            f.kb.search(typed, KnowledgeBase.Filter.ANY, 0, 10, "erin");
        }
        f.clock.advance(Duration.ofMinutes(5));
        f.kb.search("vpn drops", KnowledgeBase.Filter.ANY, 0, 10, "sam");
        long answered = f.kb.search("printer", KnowledgeBase.Filter.ANY, 0, 10, "sam").searchId();
        f.kb.opened(answered, "kb-printer");
        List<UnansweredSearch> u = f.kb.stats().unanswered();
        assertEquals(1, u.size(), u.toString());
        assertEquals("vpn drops", u.get(0).query());
        assertEquals(2, u.get(0).count());
        assertEquals(0, u.get(0).lastResults());
        KnowledgeBase.Stats s = f.kb.stats();
        assertEquals(List.of("kb-printer"), s.neverUsed().stream().map(Article::id).toList());
    }
}
