package io.firstline.agent.voice;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the agent's local socket is, and how one message crosses it: a 4-byte
 * big-endian length, then that many bytes of protobuf (local.proto), at most
 * {@value #MAX_MESSAGE_BYTES}.
 *
 * <p>The installed agent listens at {@value #INSTALLED} (systemd makes the
 * directory, see install/firstline-agent.service); an agent run with
 * {@code --state-dir DIR} listens at {@code DIR/agent.sock} unless told
 * otherwise. {@code report} and {@code status} look in the same places.
 */
public final class LocalSocket {
    /** The installed agent's socket. */
    public static final String INSTALLED = "/run/firstline-agent/agent.sock";
    /** The socket's file name inside a state directory. */
    public static final String IN_STATE_DIR = "agent.sock";
    /** Largest message either side accepts. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Linux keeps socket paths in a 108-byte field, terminating NUL included. */
    static final int MAX_PATH_BYTES = 107;

    private LocalSocket() {
    }

    /** The socket an agent with {@code stateDir} listens at when given no other. */
    public static Path forStateDir(Path stateDir) {
        return stateDir.resolve(IN_STATE_DIR);
    }

    /** Refuses a path the kernel cannot bind, with a sentence that says why. */
    static void checkLength(Path socket) {
        int n = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (n > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("the local socket path " + socket + " is " + n + " bytes long; Unix sockets allow "
                    + MAX_PATH_BYTES + " (use a shorter --state-dir or --local-socket)");
        }
    }

    /** Writes one length-prefixed message (blocking channel). */
    static void write(SocketChannel ch, MessageLite m) throws IOException {
        byte[] body = m.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads one length-prefixed message (blocking channel). */
    static <T> T read(SocketChannel ch, Parser<T> parser) throws IOException {
        ByteBuffer len = readFully(ch, ByteBuffer.allocate(4));
        int n = len.flip().getInt();
        if (n < 0 || n > MAX_MESSAGE_BYTES) {
            throw new InvalidProtocolBufferException("message length " + Integer.toUnsignedString(n) + " is over "
                    + MAX_MESSAGE_BYTES + " bytes");
        }
        ByteBuffer body = readFully(ch, ByteBuffer.allocate(n));
        return parser.parseFrom(body.flip());
    }

    private static ByteBuffer readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("the other side closed the connection");
            }
        }
        return b;
    }
}
