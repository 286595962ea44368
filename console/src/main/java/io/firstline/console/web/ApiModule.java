package io.firstline.console.web;

/**
 * A group of API routes (agents, tickets, rules, enrollment, the OpenAPI
 * description) that registers itself on the console's one {@link Router}.
 * Every route a module serves goes through that table, so the OpenAPI test
 * sees it; a handler throws {@link ApiError} for a client mistake, and any
 * other exception answers 500.
 *
 * <p>Adding a route: register it here and describe it in
 * {@code console/src/main/resources/io/firstline/console/web/openapi.yaml}
 * ({@code docs/http-api.md} says how); {@code OpenApiContractTest} fails
 * until both agree.
 */
interface ApiModule {
    void register(Router router);
}
