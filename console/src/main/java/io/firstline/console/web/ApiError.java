package io.firstline.console.web;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A client mistake, answered with {@code status} and {@code {"error": message}}.
 * The message is for the caller: it names the field or parameter and what is
 * allowed, never a Java type. No stack trace is kept or logged.
 */
class ApiError extends RuntimeException {
    final HttpResponseStatus status;

    ApiError(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(HttpResponseStatus.NOT_FOUND, message);
    }
}
