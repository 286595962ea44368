package io.firstline.console.web;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A client mistake, answered with {@code status} and {"error": message}. */
final class ApiError extends RuntimeException {
    final HttpResponseStatus status;

    ApiError(HttpResponseStatus status, String message) {
        super(message);
        this.status = status;
    }
}
