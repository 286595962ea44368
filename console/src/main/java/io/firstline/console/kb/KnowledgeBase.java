package io.firstline.console.kb;

import io.firstline.console.store.Store;
import io.firstline.console.tickets.ResolveStep;
import io.firstline.console.tickets.Ticket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge base: articles with their edit history, full-text search,
 * use on tickets, and what people searched for and did not find. Every change
 * is one store transaction.
 */
public final class KnowledgeBase {
    private static final Logger log = LoggerFactory.getLogger(KnowledgeBase.class);
    /** Searches by one person within this time that extend each other count as one search being typed. */
    static final Duration TYPING = Duration.ofSeconds(60);

    private final Store store;
    private final Clock clock;
    private final KbSearch index;
    private final Supplier<Duration> reopenWindow;
    private final Map<String, Typed> typing = new ConcurrentHashMap<>();

    private record Typed(long searchId, String query, Instant at) {
    }

    /**
     * @param reopenWindow how long a resolved ticket may still be reopened by its fault recurring (the ticket
     *                     policy's); an article "fixed" a ticket only when this passed without a reopen
     */
    public KnowledgeBase(Store store, Clock clock, Supplier<Duration> reopenWindow) {
        this.store = store;
        this.clock = clock;
        this.index = KbSearch.forDialect(store.dialect());
        this.reopenWindow = reopenWindow;
    }

    /** Adds the shipped articles the store does not have yet; returns how many. */
    public int loadDefaults() {
        int added = 0;
        for (DefaultKb.Shipped s : DefaultKb.articles()) {
            if (store.read(c -> ArticleRepository.exists(c, s.id()))) {
                continue;
            }
            create(s.id(), s.edit(), "firstline", "shipped", null, "shipped with Firstline");
            added++;
        }
        if (added > 0) {
            log.info("knowledge base: added {} shipped articles", added);
        }
        return added;
    }

    public Optional<Article> get(String id) {
        return store.read(c -> ArticleRepository.get(c, id));
    }

    public Usage usage(String id) {
        return usage().getOrDefault(id, Usage.NONE);
    }

    /** Use counts of every article that was used at all. */
    public Map<String, Usage> usage() {
        Instant now = clock.instant();
        return store.read(c -> ArticleRepository.usage(c, reopenWindow.get(), now));
    }

    /**
     * Creates an article. A null or empty {@code id} is made from the title
     * (and numbered if taken).
     *
     * @throws KbException CONFLICT when the id is taken
     */
    public Article create(String id, ArticleEdit e, String actor, String source, Long ticketId, String note) {
        Instant now = clock.instant();
        return store.write(c -> {
            String slug = id == null || id.isBlank() ? Slugs.free(c, e.title()) : Article.checkSlug(id.trim());
            if (ArticleRepository.exists(c, slug)) {
                throw new KbException(KbException.Kind.CONFLICT, "article \"" + slug + "\" exists; change it with PUT");
            }
            Article a = new Article(slug, e.title(), e.symptoms(), e.cause(), e.fix(), e.userText(), e.tags(), e.rules(),
                    e.os(), e.status() == null ? Article.Status.DRAFT : e.status(), 1, source, ticketId, now, actor, now, actor);
            ArticleRepository.insert(c, a);
            ArticleRepository.history(c, slug, 1, now, actor, Changes.created(a), note == null ? "" : note);
            return a;
        });
    }

    /**
     * Changes an article that is still at {@code baseVersion}.
     *
     * @throws KbException NOT_FOUND, or CONFLICT when someone else changed it since
     */
    public Article update(String id, int baseVersion, ArticleEdit e, String actor, String note) {
        Instant now = clock.instant();
        return store.write(c -> {
            Article old = ArticleRepository.get(c, id).orElseThrow(() -> KbException.notFound(id));
            if (old.version() != baseVersion) {
                throw conflict(old, baseVersion);
            }
            Article a = new Article(id, or(e.title(), old.title()), or(e.symptoms(), old.symptoms()), or(e.cause(), old.cause()),
                    or(e.fix(), old.fix()), or(e.userText(), old.userText()), or(e.tags(), old.tags()),
                    or(e.rules(), old.rules()), or(e.os(), old.os()), or(e.status(), old.status()), old.version() + 1,
                    old.source(), old.sourceTicketId(), old.createdAt(), old.createdBy(), now, actor);
            String changes = Changes.between(old, a);
            if (changes.equals("{}")) {
                return old;
            }
            if (!ArticleRepository.update(c, a)) {
                throw conflict(ArticleRepository.get(c, id).orElse(old), baseVersion);
            }
            ArticleRepository.history(c, id, a.version(), now, actor, changes, note == null ? "" : note);
            return a;
        });
    }

    private static KbException conflict(Article current, int baseVersion) {
        return new KbException(KbException.Kind.CONFLICT, "article \"" + current.id() + "\" is at version "
                + current.version() + " (changed by " + current.updatedBy() + "), not " + baseVersion
                + "; reload it and apply your change again");
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    public List<ArticleChange> history(String id) {
        return store.read(c -> {
            if (!ArticleRepository.exists(c, id)) {
                throw KbException.notFound(id);
            }
            return ArticleRepository.history(c, id);
        });
    }

    // ---- search ------------------------------------------------------------

    /** Filters of the article list; empty strings mean any. */
    public record Filter(String tag, String rule, String os, String status) {
        public static final Filter ANY = new Filter("", "", "", "");

        boolean accepts(Article a) {
            return (tag.isEmpty() || a.tags().contains(tag)) && (rule.isEmpty() || a.rules().contains(rule))
                    && (os.isEmpty() || a.os().isEmpty() || a.os().contains(os))
                    && (status.isEmpty() || a.status().label().equals(status));
        }
    }

    public record Result(Article article, Usage usage, double relevance, List<KbSearch.Part> snippet) {
    }

    /** One page of results; {@code searchId} is 0 when nothing was searched for (a plain list). */
    public record Page(long searchId, int total, List<Result> results) {
    }

    /**
     * Searches (best match first) or, for an empty query, lists articles by
     * title; filtered, then paged. A search by a person is remembered for
     * "what's missing" until one of its results is {@linkplain #opened opened}.
     */
    public Page search(String text, Filter filter, int offset, int limit, String actor) {
        SearchQuery q = SearchQuery.all(text);
        Map<String, Usage> usage = usage();
        List<Result> all = store.read(c -> {
            Map<String, Article> byId = new java.util.LinkedHashMap<>();
            ArticleRepository.all(c).forEach(a -> byId.put(a.id(), a));
            List<Result> out = new ArrayList<>();
            if (q.isEmpty()) {
                byId.values().stream().sorted(Comparator.comparing(a -> a.title().toLowerCase(java.util.Locale.ROOT)))
                        .forEach(a -> out.add(new Result(a, usage.getOrDefault(a.id(), Usage.NONE), 0, List.of())));
            } else {
                for (KbSearch.Hit h : index.search(c, q, 1000)) {
                    Article a = byId.get(h.articleId());
                    if (a != null) {
                        out.add(new Result(a, usage.getOrDefault(a.id(), Usage.NONE), h.relevance(), h.snippet()));
                    }
                }
            }
            return out;
        });
        List<Result> kept = all.stream().filter(r -> filter.accepts(r.article())).toList();
        long searchId = q.isEmpty() || actor == null || actor.isBlank() ? 0 : remember(actor, q.normalized(), kept.size());
        int from = Math.min(Math.max(0, offset), kept.size());
        return new Page(searchId, kept.size(), kept.subList(from, Math.min(kept.size(), from + Math.max(1, limit))));
    }

    private long remember(String actor, String query, int results) {
        Instant now = clock.instant();
        Typed last = typing.get(actor);
        if (last != null && Duration.between(last.at(), now).compareTo(TYPING) <= 0
                && (query.startsWith(last.query()) || last.query().startsWith(query))) {
            store.write(c -> {
                ArticleRepository.refineSearch(c, last.searchId(), now, query, results);
                return null;
            });
            typing.put(actor, new Typed(last.searchId(), query, now));
            return last.searchId();
        }
        long id = store.write(c -> ArticleRepository.search(c, now, actor, query, results));
        typing.put(actor, new Typed(id, query, now));
        return id;
    }

    /** Someone opened {@code articleId} from the results of search {@code searchId}: that search found an answer. */
    public void opened(long searchId, String articleId) {
        store.write(c -> {
            ArticleRepository.searchAnswered(c, searchId, articleId);
            return null;
        });
        typing.values().removeIf(t -> t.searchId() == searchId);
    }

    /** Full-text hits for a ticket's words (any word may match), for {@link Suggestions}. */
    List<KbSearch.Hit> matches(SearchQuery q, int limit) {
        return store.read(c -> index.search(c, q, limit));
    }

    List<Article> published(List<String> ids) {
        return store.read(c -> ArticleRepository.byIds(c, ids)).stream().filter(Article::published).toList();
    }

    Map<String, Integer> fixesForRule(String ruleId, Duration lookBack) {
        Instant now = clock.instant();
        return store.read(c -> ArticleRepository.fixesForRule(c, ruleId, now.minus(lookBack), reopenWindow.get()));
    }

    // ---- use on tickets ----------------------------------------------------

    /**
     * The step that records a ticket resolved with {@code articleId} (its use
     * count goes up now, its fixed count once the reopen window passes without
     * a reopen), optionally telling the endpoint's user the article's user text.
     *
     * @throws KbException NOT_FOUND now, before anything changes, when there is no such article
     */
    public ResolveStep resolveWith(String articleId, String actor, boolean tellUser) {
        Article a = get(articleId).orElseThrow(() -> KbException.notFound(articleId));
        return new ResolveStep() {
            @Override
            public List<Object> apply(java.sql.Connection c, Ticket t, Instant now) throws java.sql.SQLException {
                if (!ArticleRepository.exists(c, articleId)) {
                    throw KbException.notFound(articleId);
                }
                ArticleRepository.use(c, articleId, t.id(), t.ruleId(), now, actor, true);
                return List.of("articleId", a.id(), "articleTitle", a.title());
            }

            @Override
            public String publicText() {
                return tellUser ? a.userText() : "";
            }
        };
    }

    // ---- what's missing ------------------------------------------------------

    public record Stats(List<Result> mostUseful, List<Article> neverUsed, List<UnansweredSearch> unanswered) {
    }

    public Stats stats() {
        Map<String, Usage> usage = usage();
        List<Article> all = store.read(ArticleRepository::all);
        List<Result> useful = all.stream().filter(a -> usage.containsKey(a.id()))
                .map(a -> new Result(a, usage.get(a.id()), 0, List.of()))
                .sorted(Comparator.comparingInt((Result r) -> r.usage().fixed()).thenComparingInt(r -> r.usage().used())
                        .reversed().thenComparing(r -> r.article().id()))
                .limit(10).toList();
        List<Article> never = all.stream().filter(a -> a.published() && !usage.containsKey(a.id()))
                .sorted(Comparator.comparing(Article::id)).toList();
        return new Stats(useful, never, store.read(c -> ArticleRepository.unanswered(c, 10)));
    }
}
