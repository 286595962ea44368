package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_MODIFIED;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI's files from the jar: the console's own pages and scripts under
 * {@code /web} and browser libraries from WebJars (only those listed in
 * {@link #WEBJARS}). Files are read once and served with an ETag.
 */
final class StaticAssets {
    /** The WebJars the pages use: URL prefix to class-path folder. */
    static final Map<String, String> WEBJARS = Map.of("/webjars/uplot/", "META-INF/resources/webjars/uplot/1.6.30/dist/");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private record Asset(byte[] bytes, String type, String etag) {
    }

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /** The response for a static path ({@code /static/...} or a WebJar), or empty if not an asset path. */
    Optional<FullHttpResponse> serve(String path, String ifNoneMatch) {
        String resource = resource(path);
        if (resource == null) {
            return Optional.empty();
        }
        Optional<Asset> a = cache.computeIfAbsent(resource, StaticAssets::load);
        if (a.isEmpty()) {
            return Optional.of(ApiHandler.json(NOT_FOUND, "{\"error\":\"no such file\"}"));
        }
        return Optional.of(response(a.get(), ifNoneMatch));
    }

    /** A page (an HTML file under /web). */
    FullHttpResponse page(String name) {
        Asset a = cache.computeIfAbsent("web/" + name, StaticAssets::load)
                .orElseThrow(() -> new IllegalStateException("page missing from the jar: " + name));
        return response(a, null);
    }

    private static String resource(String path) {
        if (path.contains("..") || path.contains("//") || path.contains("\\")) {
            return null;
        }
        if (path.startsWith("/static/")) {
            return "web/" + path.substring("/static/".length());
        }
        for (Map.Entry<String, String> w : WEBJARS.entrySet()) {
            if (path.startsWith(w.getKey())) {
                return w.getValue() + path.substring(w.getKey().length());
            }
        }
        return null;
    }

    private static Optional<Asset> load(String resource) {
        int dot = resource.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
            return Optional.of(new Asset(bytes, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FullHttpResponse response(Asset a, String ifNoneMatch) {
        FullHttpResponse r;
        if (a.etag().equals(ifNoneMatch)) {
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        } else {
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, OK, Unpooled.wrappedBuffer(a.bytes()));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.type());
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.bytes().length);
        }
        r.headers().set(HttpHeaderNames.ETAG, a.etag());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }
}
