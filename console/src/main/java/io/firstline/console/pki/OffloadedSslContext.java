package io.firstline.console.pki;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

/**
 * A server TLS context whose handlers run the handshake's heavy steps (the
 * certificate-path check, signatures, the revocation lookup in the store) on
 * {@code tasks} instead of the event loop, so that a wave of reconnecting
 * agents does not hold up the samples of the agents already connected.
 * Everything else is the wrapped context's.
 */
final class OffloadedSslContext extends SslContext {
    private final SslContext ctx;
    private final Executor tasks;

    OffloadedSslContext(SslContext ctx, Executor tasks) {
        this.ctx = ctx;
        this.tasks = tasks;
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        return ctx.newHandler(alloc, tasks);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
        return ctx.newHandler(alloc, peerHost, peerPort, tasks);
    }

    @Override
    public boolean isClient() {
        return ctx.isClient();
    }

    @Override
    public List<String> cipherSuites() {
        return ctx.cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return ctx.applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return ctx.newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return ctx.newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return ctx.sessionContext();
    }
}
