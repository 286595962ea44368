package io.firstline.agent.enroll;

import io.firstline.proto.Refuse;
import io.firstline.wire.PlainRefusal;
import io.netty.buffer.Unpooled;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Optional;

/**
 * The TCP socket under enrollment's TLS socket, which reads the console's
 * first byte before TLS does, as the link's {@code PlainRefusalDecoder}
 * does: a TLS record passes through untouched; a 0 starts a plain
 * {@code Refuse} sent before any handshake (an overloaded console, see
 * {@link PlainRefusal}). That refusal is read to the console's close,
 * parsed by {@link PlainRefusal#decode}, kept for {@link #refusal()}, and
 * TLS sees the end of the stream (its handshake then fails; the caller asks
 * this socket why).
 */
final class RefusalAwareSocket extends Socket {
    private InputStream in;
    private Refuse refusal;
    private String problem = "";

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new FirstByte(super.getInputStream());
        }
        return in;
    }

    /** The console's plain refusal, once one was read. */
    synchronized Optional<Refuse> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** What was wrong with a plain frame that was not a whole refusal; empty when nothing was. */
    synchronized String problem() {
        return problem;
    }

    private synchronized void refused(Refuse r) {
        refusal = r;
    }

    private synchronized void badFrame(String why) {
        problem = why;
    }

    /** Looks at the first byte once, then reads straight through (TLS) or ends the stream (a refusal). */
    private final class FirstByte extends FilterInputStream {
        private boolean looked;
        private boolean ended;

        FirstByte(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (looked || len == 0) {
                return super.read(b, off, len);
            }
            int first = super.read();
            if (first < 0) {
                return -1;
            }
            looked = true;
            if (!PlainRefusal.startsPlainRefusal((byte) first)) {
                b[off] = (byte) first;
                return 1;
            }
            ended = true;
            readRefusal();
            return -1;
        }

        /** The console writes its refusal and closes its side: read up to the close, at most one refusal's worth. */
        private void readRefusal() throws IOException {
            byte[] rest = super.in.readNBytes(3 + PlainRefusal.MAX_BYTES);
            byte[] frame = new byte[1 + rest.length];
            System.arraycopy(rest, 0, frame, 1, rest.length);
            try {
                Optional<Refuse> r = PlainRefusal.decode(Unpooled.wrappedBuffer(frame));
                if (r.isPresent()) {
                    refused(r.get());
                } else {
                    badFrame("the console closed the connection in the middle of a refusal sent without TLS");
                }
            } catch (RuntimeException e) {
                badFrame(e.getMessage());
            }
        }
    }
}
