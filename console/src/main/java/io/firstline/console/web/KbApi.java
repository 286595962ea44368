package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.CREATED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;

import com.fasterxml.jackson.databind.JsonNode;
import io.firstline.console.kb.Article;
import io.firstline.console.kb.ArticleEdit;
import io.firstline.console.kb.KbException;
import io.firstline.console.kb.KnowledgeBase;
import io.firstline.console.kb.Markdown;
import io.firstline.console.kb.ResolutionDrafts;
import io.firstline.console.kb.Suggestions;
import io.firstline.console.kb.Usage;
import io.firstline.console.tickets.ResolveStep;
import io.firstline.console.tickets.Ticket;
import io.firstline.console.tickets.TicketService;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The knowledge-base API (docs/knowledge-base.md):
 * <pre>
 * GET  /api/kb?q=&amp;tag=&amp;rule=&amp;os=&amp;status=&amp;offset=&amp;limit=   search (best first) or, without q, the list by
 *                                  title; a JSON array, X-Total-Count and X-Search-Id headers
 * POST /api/kb                     a new article (201); {"fromTicket": N} drafts one from a resolved ticket
 * POST /api/kb/preview             {"markdown": "..."} rendered the way articles are: {"html": "..."}
 * GET  /api/kb/stats               most useful, never used, top searches with no answer
 * GET  /api/kb/{id}?search=N       one article with usedCount, fixedCount, pendingCount and its HTML;
 *                                  search=N (an X-Search-Id) records that the search found it
 * PUT  /api/kb/{id}                {"version": V, fields..., "note": "..."}: 409 when V is not current
 * GET  /api/kb/{id}/history        every change: version, when, who, what
 * </pre>
 * Engineers and admins write, viewers read ({@link AuthGate}). An article over
 * 256 KiB of text is refused with 413.
 */
final class KbApi implements ApiModule, TicketArticles {
    private static final String BASE = "/api/kb";
    /** Knowledge-base articles may hold 256 KiB of text, which JSON escaping can make much longer. */
    static final int MAX_BODY = 1024 * 1024;

    private final KnowledgeBase kb;
    private final Suggestions suggestions;
    private final TicketService tickets;
    private final Function<String, String> osOfAgent;

    /** @param osOfAgent the OS family of an agent's host ("Ubuntu", "Windows"), empty when unknown */
    KbApi(KnowledgeBase kb, TicketService tickets, Function<String, String> osOfAgent) {
        this.kb = kb;
        this.suggestions = new Suggestions(kb);
        this.tickets = tickets;
        this.osOfAgent = osOfAgent;
    }

    @Override
    public void register(Router r) {
        r.get(BASE, Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> search(ex))));
        r.post(BASE, Router.Access.SIGNED_IN, MAX_BODY, ex -> ex.respond(answer(() -> create(ex))));
        r.post(BASE + "/preview", Router.Access.SIGNED_IN, MAX_BODY, ex -> ex.respond(answer(() -> ApiHandler.json(OK,
                Json.write(Map.of("html", Markdown.html(ex.json().path("markdown").asText(""))))))));
        r.get(BASE + "/stats", Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> ApiHandler.json(OK, Json.write(stats())))));
        r.get(BASE + "/{id}", Router.Access.SIGNED_IN, ex -> ex.respond(answer(() -> article(ex))));
        r.put(BASE + "/{id}", Router.Access.SIGNED_IN, MAX_BODY, ex -> ex.respond(answer(() -> update(ex, articleId(ex)))));
        r.get(BASE + "/{id}/history", Router.Access.SIGNED_IN, ex -> ex.respond(answer(() ->
                ApiHandler.json(OK, Json.write(kb.history(articleId(ex)).stream().map(KbApi::change).toList())))));
    }

    /** The path's article id; one longer than any article id can be is 404 without echoing all of it. */
    private static String articleId(Exchange ex) {
        String id = ex.param("id");
        if (id.length() > 80) {
            throw new ApiError(NOT_FOUND, "no article " + Json.quote(Fields.clip(id)));
        }
        return id;
    }

    /** Runs one request, turning the knowledge base's refusals into 404, 409, 413 and 400. */
    private static FullHttpResponse answer(java.util.function.Supplier<FullHttpResponse> work) {
        try {
            return work.get();
        } catch (Article.TooLargeException e) {
            throw new ApiError(REQUEST_ENTITY_TOO_LARGE, e.getMessage());
        } catch (KbException e) {
            throw new ApiError(e.kind() == KbException.Kind.NOT_FOUND ? NOT_FOUND : CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiError(BAD_REQUEST, e.getMessage());
        }
    }

    private FullHttpResponse article(Exchange ex) {
        String id = articleId(ex);
        Article a = kb.get(id).orElseThrow(() -> new ApiError(NOT_FOUND, "no article " + Json.quote(id)));
        String search = ex.queryParam("search", "");
        if (search.matches("[0-9]{1,18}")) {
            kb.opened(Long.parseLong(search), id);
        }
        return ApiHandler.json(OK, Json.write(KbJson.detail(a, kb.usage(id))));
    }

    private static Map<String, Object> change(io.firstline.console.kb.ArticleChange h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", h.version());
        m.put("at", h.at());
        m.put("actor", h.actor());
        m.put("changes", tree(h.changes()));
        m.put("note", h.note());
        return m;
    }

    private FullHttpResponse search(Exchange ex) {
        String status = ex.queryParam("status", "");
        if (!status.isEmpty()) {
            Article.Status.parse(status);
        }
        String os = ex.queryParam("os", "");
        if (!os.isEmpty() && !Article.OS.contains(os)) {
            throw new IllegalArgumentException("os must be linux, windows or macos");
        }
        int offset = ex.intQueryParam("offset", 0, 0, Integer.MAX_VALUE);
        int limit = ex.intQueryParam("limit", 50, 1, 500);
        KnowledgeBase.Page page = kb.search(ex.queryParam("q", ""), new KnowledgeBase.Filter(ex.queryParam("tag", ""),
                ex.queryParam("rule", ""), os, status), offset, limit, ex.principal.username());
        FullHttpResponse r = ApiHandler.json(OK, Json.write(page.results().stream().map(KbJson::result).toList()));
        r.headers().set("X-Total-Count", page.total());
        if (page.searchId() > 0) {
            r.headers().set("X-Search-Id", page.searchId());
        }
        return r;
    }

    private static Object tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return json;
        }
    }

    private FullHttpResponse create(Exchange ex) {
        String actor = ex.actor();
        JsonNode body = ex.json();
        Article a;
        if (body.hasNonNull("fromTicket")) {
            long ticketId = body.path("fromTicket").asLong(0);
            Ticket t = tickets.get(ticketId).orElseThrow(() -> new ApiError(NOT_FOUND, "no ticket " + ticketId));
            ArticleEdit draft = ResolutionDrafts.draft(t, tickets.timeline(ticketId), osOfAgent.apply(t.agentId()));
            a = kb.create(null, draft, actor, "ticket", ticketId, "drafted from ticket #" + ticketId);
        } else {
            ArticleEdit e = edit(body);
            if (e.title() == null || e.title().isBlank()) {
                throw new IllegalArgumentException("an article needs a title");
            }
            a = kb.create(Fields.line(body, "id", Fields.SHORT), e, actor, "written", null, Fields.text(body, "note", Fields.LONG));
        }
        return ApiHandler.json(CREATED, Json.write(KbJson.detail(a, Usage.NONE)));
    }

    private FullHttpResponse update(Exchange ex, String id) {
        String actor = ex.actor();
        JsonNode body = ex.json();
        if (!body.path("version").canConvertToInt() || !body.path("version").isIntegralNumber()) {
            throw new IllegalArgumentException("send the \"version\" your change is based on (from GET /api/kb/" + id + ")");
        }
        Article a = kb.update(id, body.path("version").intValue(), edit(body), actor, Fields.text(body, "note", Fields.LONG));
        return ApiHandler.json(OK, Json.write(KbJson.detail(a, kb.usage(id))));
    }

    /** The article fields of a body; a field that is absent stays as it is. */
    private static ArticleEdit edit(JsonNode b) {
        return new ArticleEdit(string(b, "title"), string(b, "symptoms"), string(b, "cause"), string(b, "fix"),
                string(b, "userText"), words(b, "tags"), words(b, "rules"), words(b, "os"),
                b.hasNonNull("status") ? Article.Status.parse(b.path("status").asText()) : null);
    }

    private static String string(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    /** A list field, as a JSON array of strings or one string of words separated by spaces or commas. */
    private static List<String> words(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            for (String w : v.asText().split("[\\s,]+")) {
                if (!w.isBlank()) {
                    out.add(w);
                }
            }
        } else if (v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        } else {
            throw new IllegalArgumentException(field + " must be a list of words");
        }
        return out;
    }

    private Map<String, Object> stats() {
        KnowledgeBase.Stats s = kb.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mostUseful", s.mostUseful().stream().map(r -> KbJson.summary(r.article(), r.usage())).toList());
        m.put("neverUsed", s.neverUsed().stream().map(a -> KbJson.summary(a, Usage.NONE)).toList());
        m.put("unansweredSearches", s.unanswered().stream().map(u -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("query", u.query());
            x.put("count", u.count());
            x.put("lastAt", u.lastAt());
            x.put("lastResults", u.lastResults());
            return x;
        }).toList());
        return m;
    }

    // ---- for the ticket API ---------------------------------------------------

    @Override
    public List<Suggestions.Suggestion> suggest(Ticket t) {
        return suggestions.forTicket(t, osOfAgent.apply(t.agentId()));
    }

    @Override
    public ResolveStep resolveWith(String articleId, String actor, boolean tellUser) {
        try {
            return kb.resolveWith(articleId, actor, tellUser);
        } catch (KbException e) {
            throw new ApiError(BAD_REQUEST, e.getMessage() + "; nothing was changed");
        }
    }
}
