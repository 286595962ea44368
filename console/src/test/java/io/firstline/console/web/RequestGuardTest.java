package io.firstline.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

/** Per-route body limits (issue 9 item 6): a route may take more than the 64 KiB default, others may not. */
class RequestGuardTest {
    private static Router router() {
        return new Router()
                .post("/small", Router.Access.SIGNED_IN, ex -> { })
                .post("/articles", Router.Access.SIGNED_IN, 1024 * 1024, ex -> { });
    }

    private static HttpRequest request(String path, long length) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        if (length >= 0) {
            HttpUtil.setContentLength(r, length);
        } else {
            HttpUtil.setTransferEncodingChunked(r, true);
        }
        return r;
    }

    @Test
    void eachRouteHasItsOwnLimitAndTheDefaultIs64KiB() {
        Router r = router();
        assertEquals(Router.DEFAULT_BODY_LIMIT, r.bodyLimit(HttpMethod.POST, "/small"));
        assertEquals(1024 * 1024, r.bodyLimit(HttpMethod.POST, "/articles"));
        assertEquals(Router.DEFAULT_BODY_LIMIT, r.bodyLimit(HttpMethod.POST, "/unknown"));
        assertEquals(1024 * 1024, r.maxBodyLimit());
    }

    @Test
    void aDeclaredLengthOverTheRoutesLimitIsRefusedBeforeTheBodyIsRead() {
        EmbeddedChannel small = new EmbeddedChannel(new RequestGuard(router()));
        small.writeInbound(request("/small", 200_000));
        assertNull(small.readInbound(), "nothing goes on");
        FullHttpResponse res = small.readOutbound();
        assertEquals(413, res.status().code());
        assertTrue(res.content().toString(java.nio.charset.StandardCharsets.UTF_8).contains("65536"));
        res.release();
        assertFalse(small.isOpen(), "the connection closes after the refusal");

        EmbeddedChannel large = new EmbeddedChannel(new RequestGuard(router()));
        large.writeInbound(request("/articles", 200_000));
        HttpRequest passed = large.readInbound();
        assertEquals("/articles", passed.uri());
        assertNull(large.readOutbound());
    }

    @Test
    void aChunkedBodyIsCountedAsItArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestGuard(router()));
        ch.writeInbound(request("/small", -1));
        ReferenceCountUtil.release(ch.readInbound());
        for (int i = 0; i < 8; i++) {
            ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[8192])));
            HttpContent c = ch.readInbound();
            c.release();
        }
        ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[1])));
        assertNull(ch.readInbound(), "the byte over 64 KiB is not passed on");
        FullHttpResponse res = ch.readOutbound();
        assertEquals(413, res.status().code());
        assertEquals("application/json; charset=utf-8", res.headers().get(HttpHeaderNames.CONTENT_TYPE));
        res.release();
    }
}
