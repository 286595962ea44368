package io.firstline.console.pki;

import io.firstline.wire.Tls;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The agent port's TLS and nothing else, over loopback, for tests and the
 * connection-cost benchmark: a server that answers each handshake with the
 * client certificate's CN and a newline (read from the session, as a Hello
 * is checked), and a client that connects as an agent, naming the server so
 * its session cache can resume, and reads that line.
 */
public final class TlsLoopback {
    private TlsLoopback() {
    }

    /** Listens on {@code port} (0: any); {@code outcome} hears each handshake's CN, or "failed: " and why. */
    public static Channel serve(EventLoopGroup group, SslContext tls, int port, Consumer<String> outcome) {
        return serve(group, tls, port, outcome, kind -> { });
    }

    /**
     * As above, and {@code kinds} hears whether each successful handshake was
     * full or resumed ({@link HandshakeKind}), before {@code outcome} does.
     * A client without a certificate is answered with "-".
     */
    public static Channel serve(EventLoopGroup group, SslContext tls, int port, Consumer<String> outcome, Consumer<HandshakeKind> kinds) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                if (evt instanceof SslHandshakeCompletionEvent done) {
                                    if (!done.isSuccess()) {
                                        outcome.accept("failed: " + done.cause());
                                        ctx.close();
                                        return;
                                    }
                                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                                    kinds.accept(HandshakeKind.of(ssl.engine()));
                                    String cn;
                                    try {
                                        cn = Tls.commonName((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0]);
                                    } catch (javax.net.ssl.SSLPeerUnverifiedException noCertificate) {
                                        cn = "-";
                                    }
                                    outcome.accept(cn);
                                    ctx.writeAndFlush(Unpooled.copiedBuffer(cn + "\n", StandardCharsets.US_ASCII));
                                }
                            }
                        });
                    }
                }).bind("127.0.0.1", port).syncUninterruptibly().channel();
    }

    public static int port(Channel listening) {
        return ((InetSocketAddress) listening.localAddress()).getPort();
    }

    /** Connects with {@code client}; completes with the server's line, "closed", or "error: " and why. */
    public static CompletableFuture<String> connect(EventLoopGroup group, SslContext client, int port) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(client.newHandler(c.alloc(), "127.0.0.1", port), new ChannelInboundHandlerAdapter() {
                    private final StringBuilder line = new StringBuilder();

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        line.append(b.toString(StandardCharsets.US_ASCII));
                        b.release();
                        if (line.indexOf("\n") >= 0) {
                            answer.complete(line.toString().strip());
                            ctx.close();
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        answer.complete("closed");
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        answer.complete("error: " + cause);
                        ctx.close();
                    }
                });
            }
        }).connect(new InetSocketAddress("127.0.0.1", port)).addListener(f -> {
            if (!f.isSuccess()) {
                answer.complete("error: " + f.cause());
            }
        });
        return answer;
    }
}
