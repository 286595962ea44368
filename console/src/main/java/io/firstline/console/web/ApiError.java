package io.firstline.console.web;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A client mistake, answered with {@code status} and {@code {"error": message}}.
 * The message is for the caller: it names the field or parameter and what is
 * allowed, never a Java type. No stack trace is kept or logged.
 */
class ApiError extends RuntimeException {
    final HttpResponseStatus status;
    /** The request parameter at fault, answered as {@code "param"} beside the error; null when none is named. */
    final String param;

    ApiError(HttpResponseStatus status, String message) {
        this(status, message, null);
    }

    ApiError(HttpResponseStatus status, String message, String param) {
        super(message, null, false, false);
        this.status = status;
        this.param = param;
    }

    /** The JSON answer: {@code {"error": message}}, with {@code "param"} when one is named. */
    io.netty.handler.codec.http.FullHttpResponse response() {
        return param == null ? ApiHandler.error(status, getMessage())
                : ApiHandler.json(status, Json.write(java.util.Map.of("error", getMessage(), "param", param)));
    }

    static ApiError badRequest(String message) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(HttpResponseStatus.NOT_FOUND, message);
    }
}
