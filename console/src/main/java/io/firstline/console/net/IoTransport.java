package io.firstline.console.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Locale;

/**
 * How the console's event loops wait on sockets ({@code ioTransport} in
 * console.yaml): Linux's epoll through Netty's native transport, or Java's
 * NIO selector. {@link #AUTO} takes epoll where its native library loads
 * (Linux on x86-64) and NIO elsewhere. epoll spends less of the CPU on each
 * wake-up and each read and write than NIO's selector (no selected-key
 * set, no selector locks, no copies into a temporary direct buffer);
 * docs/benchmarks.md, "Capacity".
 */
public enum IoTransport {
    AUTO, EPOLL, NIO;

    /** The transport to use here: {@link #AUTO} decided; {@link #EPOLL} where it does not load fails, naming why. */
    public IoTransport resolve() {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("ioTransport is epoll, but Netty's native epoll transport does not load here: "
                            + Epoll.unavailabilityCause());
                }
                yield EPOLL;
            }
            case NIO -> NIO;
        };
    }

    /** The event loops' I/O handlers (of a resolved transport). */
    public IoHandlerFactory handlers() {
        return switch (resolve()) {
            case EPOLL -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    /** The listening socket's channel class (of a resolved transport). */
    public Class<? extends ServerChannel> serverChannel() {
        return switch (resolve()) {
            case EPOLL -> EpollServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
    }

    /** The name used in console.yaml. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A console.yaml value: auto, epoll or nio. */
    public static IoTransport parse(String s) {
        for (IoTransport t : values()) {
            if (t.configName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("must be one of auto, epoll, nio, got '" + s + "'");
    }
}
