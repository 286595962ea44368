package io.firstline.console.web;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * A group of API routes under one path prefix (tickets, rules, maintenance
 * windows), so that {@link ApiHandler} stays a short dispatcher.
 */
interface ApiModule {
    /** True when this module serves {@code path} (any method). */
    boolean handles(String path);

    /**
     * Answers the request. Throw {@link ApiError} for a client mistake; any
     * other exception answers 500.
     */
    FullHttpResponse handle(FullHttpRequest request, QueryStringDecoder query);
}
