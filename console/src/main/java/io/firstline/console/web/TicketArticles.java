package io.firstline.console.web;

import io.firstline.console.kb.Suggestions;
import io.firstline.console.tickets.ResolveStep;
import io.firstline.console.tickets.Ticket;
import java.util.List;

/** What the ticket API asks the knowledge base: suggestions for a ticket, and resolving with an article. */
interface TicketArticles {
    List<Suggestions.Suggestion> suggest(Ticket t);

    /** The step that records the article; throws {@link ApiError} 400 for an unknown article. */
    ResolveStep resolveWith(String articleId, String actor, boolean tellUser);
}
