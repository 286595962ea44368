package io.firstline.console.web;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every HTTP connection's pipeline: an exception that reaches it
 * (a reset connection, a client that breaks off mid-request) closes that
 * connection and is logged as one line at debug, never with a stack trace,
 * so no client can fill the console's log.
 */
@Sharable
final class ConnectionErrors extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionErrors.class);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
        ctx.close();
    }
}
