package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.GONE;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.firstline.console.enroll.InstallCodes;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * What the one-line agent install fetches, without a login since none of it
 * is secret: {@code GET /install/agent.sh} (install/agent/install.sh, from
 * the jar), {@code GET /install/firstline-agent-linux-x64.tar.gz} (sent from
 * disk, see {@link AgentArchive}) and its {@code .sha256} in
 * {@code sha256sum} format, which the script checks. {@code POST
 * /install/token} trades a single-use install code ({@link InstallCodes}) for
 * its enrollment token, once; docs/security.md describes the scheme.
 */
final class InstallApi implements ApiModule {
    static final String SCRIPT = "/install/agent.sh";
    static final String ARCHIVE = "/install/" + AgentArchive.NAME;
    static final String CHECKSUM = ARCHIVE + ".sha256";
    static final String TOKEN = "/install/token";
    /** An install code is 48 characters; the body allows a little slack and nothing more. */
    static final int TOKEN_BODY_LIMIT = 256;
    private static final String SCRIPT_RESOURCE = "install/install.sh";

    private final AgentArchive archive;
    private final InstallCodes codes;
    private final byte[] script;

    InstallApi(AgentArchive archive, InstallCodes codes) {
        this.archive = archive;
        this.codes = codes;
        this.script = loadScript();
        if (archive.file().isPresent()) {
            // Hash the ~50 MB archive off the event loop, before the first install asks.
            CompletableFuture.runAsync(() -> {
                try {
                    archive.sha256();
                } catch (RuntimeException e) {
                    // answered on request
                }
            });
        }
    }

    private static byte[] loadScript() {
        try (InputStream in = InstallApi.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from the console jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(Router r) {
        r.get(SCRIPT, Router.Access.ANYONE, ex -> ex.respond(ApiHandler.text(OK, new String(script, StandardCharsets.UTF_8),
                "text/x-shellscript; charset=utf-8")));
        r.get(CHECKSUM, Router.Access.ANYONE, ex -> ex.respond(ApiHandler.text(OK,
                archive.file().map(f -> archive.sha256() + "  " + AgentArchive.NAME + "\n").orElseThrow(InstallApi::noArchive),
                "text/plain; charset=utf-8")));
        r.get(ARCHIVE, Router.Access.ANYONE, this::sendArchive);
        r.post(TOKEN, Router.Access.ANYONE, TOKEN_BODY_LIMIT, ex -> {
            String code = ex.request.content().toString(StandardCharsets.UTF_8).trim();
            String token = codes.redeem(code).orElseThrow(() -> new ApiError(GONE,
                    "this install code is unknown, used or expired: create a new enrollment token on the console's admin page"));
            ex.respond(ApiHandler.text(OK, token + "\n", "text/plain; charset=utf-8"));
        });
    }

    private static ApiError noArchive() {
        return new ApiError(NOT_FOUND, "this console has no agent archive: build it with ./mvnw package, or install the console"
                + " package, which puts it in /opt/firstline-console/agent (or set -D" + AgentArchive.PROPERTY + "=FILE)");
    }

    /** The archive straight from the file to the socket (plain HTTP: zero-copy), headers only for HEAD. */
    private void sendArchive(Exchange ex) throws IOException {
        Path f = archive.file().orElseThrow(InstallApi::noArchive);
        long size = Files.size(f);
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/gzip");
        res.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + AgentArchive.NAME + "\"");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setContentLength(res, size);
        boolean keepAlive = HttpUtil.isKeepAlive(ex.request);
        HttpUtil.setKeepAlive(res, keepAlive);
        ex.ctx.write(res);
        if (!ex.request.method().equals(HttpMethod.HEAD)) {
            ex.ctx.write(new DefaultFileRegion(f.toFile(), 0, size));
        }
        ChannelFuture done = ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
