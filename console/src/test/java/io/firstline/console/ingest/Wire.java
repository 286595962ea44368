package io.firstline.console.ingest;

import io.firstline.proto.Envelope;
import io.firstline.wire.Framing;
import io.firstline.wire.WireProtocol;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's end of the wire for tests that hold the console's agent
 * pipeline in an {@link EmbeddedChannel}: envelopes go in framed as the
 * agent frames them, and what the console wrote comes out decoded.
 */
final class Wire {
    private Wire() {
    }

    /** Frames each envelope and hands the bytes to the console's pipeline. */
    static void send(EmbeddedChannel ch, Envelope... envelopes) {
        EmbeddedChannel enc = new EmbeddedChannel();
        Framing.addCodec(enc.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        for (Envelope e : envelopes) {
            enc.writeOutbound(e);
        }
        Object o;
        while ((o = enc.readOutbound()) != null) {
            ch.writeInbound(o);
        }
        enc.finishAndReleaseAll();
    }

    /** Everything the console has written so far, after running the tasks pending on its event loop. */
    static List<Envelope> replies(EmbeddedChannel ch) {
        return replies(ch, 0);
    }

    /**
     * As {@link #replies(EmbeddedChannel)}, but waits up to {@code millis} for
     * the first reply, for commits that hop back to the event loop from
     * another thread.
     */
    static List<Envelope> replies(EmbeddedChannel ch, long millis) {
        EmbeddedChannel dec = new EmbeddedChannel();
        Framing.addCodec(dec.pipeline(), WireProtocol.DEFAULT_MAX_FRAME_BYTES);
        List<Envelope> out = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        do {
            ch.runPendingTasks();
            Object o;
            while ((o = ch.readOutbound()) != null) {
                dec.writeInbound(o);
            }
            Envelope e;
            while ((e = dec.readInbound()) != null) {
                out.add(e);
            }
        } while (out.isEmpty() && System.nanoTime() < deadline && ch.isActive());
        dec.finishAndReleaseAll();
        return out;
    }

    /** The sequences the replies acknowledge, in order. */
    static List<Long> acks(List<Envelope> replies) {
        return replies.stream().filter(Envelope::hasAck).map(e -> e.getAck().getSequence()).toList();
    }
}
