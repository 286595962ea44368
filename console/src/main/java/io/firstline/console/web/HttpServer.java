package io.firstline.console.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.List;

/** The console's HTTP server: the web console, the API, metrics and health. */
public final class HttpServer implements AutoCloseable {
    private final Channel channel;
    private final Router router;

    private HttpServer(Channel channel, Router router) {
        this.channel = channel;
        this.router = router;
    }

    public static HttpServer bind(String host, int port, ApiHandler.Routes routes, WebConsole web, EventLoopGroup boss,
                                  EventLoopGroup workers)
            throws InterruptedException {
        for (ApiModule m : routes.modules()) {
            m.register(web.router());
        }
        Channel ch = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(RequestGuard.MAX_LINE)
                                .setMaxHeaderSize(RequestGuard.MAX_HEADERS)));
                        web.addTo(c.pipeline());
                        c.pipeline().addLast("api", new ApiHandler(routes));
                        c.pipeline().addLast("errors", web.errors());
                    }
                })
                .bind(host, port)
                .sync()
                .channel();
        return new HttpServer(ch, web.router());
    }

    /** Every route the server answers, as "METHOD /pattern" (pages and API), in registration order. */
    public List<String> routes() {
        return router.routes().stream().map(r -> r.method().name() + " " + r.pattern()).toList();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
