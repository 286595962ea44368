package io.firstline.agent.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.proto.Envelope;
import io.firstline.proto.Refuse;
import io.firstline.proto.Welcome;
import io.firstline.wire.PlainRefusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent tells a plain refusal from TLS by the first byte, whatever way the bytes are split. */
class PlainRefusalDecoderTest {
    private static final Refuse OVERLOADED = Refuse.newBuilder().setReason(Refuse.Reason.OVERLOADED).setMessage("later")
            .setRetryAfterMs(4_500).setRetrySpreadMs(1_000).build();

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    /** Everything that came out of the decoder's end, ByteBufs copied out as byte arrays. */
    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o instanceof ByteBuf b ? bytes(b) : o);
        }
        return out;
    }

    @Test
    void aPlainRefusalSplitAtEveryByteComesOutAsOneRefuse() {
        byte[] frame = bytes(PlainRefusal.encode(ByteBufAllocator.DEFAULT, OVERLOADED));
        for (int cut = 1; cut < frame.length; cut++) {
            EmbeddedChannel ch = new EmbeddedChannel(new PlainRefusalDecoder());
            ch.writeInbound(Unpooled.copiedBuffer(frame, 0, cut));
            assertTrue(drain(ch).isEmpty(), "nothing before the frame is whole (cut at " + cut + ")");
            ch.writeInbound(Unpooled.copiedBuffer(frame, cut, frame.length - cut));
            // Bytes after the refusal (the close) are dropped.
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
            assertEquals(List.of(Envelope.newBuilder().setRefuse(OVERLOADED).build()), drain(ch), "cut at " + cut);
            assertTrue(ch.finishAndReleaseAll() || true);
        }
    }

    @Test
    void aTlsRecordPassesThroughUntouchedAndTheDecoderStepsAside() {
        byte[] record = {0x16, 0x03, 0x03, 0x00, 0x02, 0x0a, 0x0b};
        EmbeddedChannel ch = new EmbeddedChannel(new PlainRefusalDecoder());
        ch.writeInbound(Unpooled.copiedBuffer(record, 0, 1));
        ch.writeInbound(Unpooled.copiedBuffer(record, 1, record.length - 1));
        List<Object> out = drain(ch);
        byte[] joined = new byte[record.length];
        int at = 0;
        for (Object o : out) {
            byte[] b = (byte[]) o;
            System.arraycopy(b, 0, joined, at, b.length);
            at += b.length;
        }
        assertEquals(record.length, at);
        assertEquals(java.util.Arrays.toString(record), java.util.Arrays.toString(joined));
        assertNull(ch.pipeline().get(PlainRefusalDecoder.class), "removed: later bytes go straight to TLS");
        ch.finishAndReleaseAll();
    }

    @Test
    void aLongPlainFrameOrAnotherMessageIsNotTakenForARefusal() {
        EmbeddedChannel big = new EmbeddedChannel(new PlainRefusalDecoder());
        assertThrows(CorruptedFrameException.class, () -> big.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0x10, 0})));
        big.finishAndReleaseAll();

        byte[] body = Envelope.newBuilder().setWelcome(Welcome.newBuilder().setConsoleId("x")).build().toByteArray();
        ByteBuf welcome = Unpooled.buffer().writeInt(body.length).writeBytes(body);
        EmbeddedChannel other = new EmbeddedChannel(new PlainRefusalDecoder());
        assertThrows(CorruptedFrameException.class, () -> other.writeInbound(welcome));
        other.finishAndReleaseAll();
    }
}
