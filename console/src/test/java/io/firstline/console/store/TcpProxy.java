package io.firstline.console.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy a test can cut and restore: the way to lose a
 * database for real (connections reset, new ones refused) without touching
 * the machine's shared PostgreSQL server.
 */
public final class TcpProxy implements AutoCloseable {
    private final int upstreamPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    public TcpProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        ServerSocket s = bind(0);
        this.port = s.getLocalPort();
        start(s);
    }

    public int port() {
        return port;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return s;
    }

    private void start(ServerSocket s) {
        server = s;
        Thread t = new Thread(() -> accept(s), "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket("127.0.0.1", upstreamPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by cut(), or a refused upstream: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Resets every connection and refuses new ones, as a database host that went away. */
    public void cut() {
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Accepts connections again on the same port. */
    public void restore() throws IOException {
        start(bind(port));
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
