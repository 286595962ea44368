package io.firstline.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.firstline.proto.Ack;
import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FramingTest {
    private static final int MAX = 1024;

    static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Framing.addCodec(ch.pipeline(), MAX);
        return ch;
    }

    static Envelope sample(long seq) {
        return Envelope.newBuilder().setSequence(seq).setSample(Sample.newBuilder()
                .setTimestampMs(1_700_000_000_000L + seq)
                .addNewSeries(SeriesDef.newBuilder().setId(1).setMetric("cpu.usage_ratio"))
                .addSeries(1).addValues(0.25 + seq)).build();
    }

    /** Encodes through a real pipeline, so the bytes are exactly what goes on the wire. */
    static ByteBuf encode(Envelope... envelopes) {
        EmbeddedChannel ch = channel();
        for (Envelope e : envelopes) {
            ch.writeOutbound(e);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        ch.finishAndReleaseAll();
        return all;
    }

    @Test
    void frameIsBigEndianLengthThenEnvelope() {
        Envelope e = sample(7);
        ByteBuf wire = encode(e);
        assertEquals(e.getSerializedSize(), wire.getInt(0));
        assertEquals(4 + e.getSerializedSize(), wire.readableBytes());
        wire.release();
    }

    @Test
    void frameSplitAtEveryByteBoundaryDecodesOnce() {
        Envelope e = sample(42);
        ByteBuf wire = encode(e);
        int len = wire.readableBytes();
        for (int cut = 1; cut < len; cut++) {
            EmbeddedChannel ch = channel();
            assertFalse(ch.writeInbound(wire.retainedSlice(0, cut)), "nothing emitted before the frame is whole, cut " + cut);
            assertTrue(ch.writeInbound(wire.retainedSlice(cut, len - cut)), "frame emitted once whole, cut " + cut);
            assertEquals(e, ch.readInbound());
            assertNull(ch.readInbound());
            assertFalse(ch.finish());
        }
        wire.release();
    }

    @Test
    void frameFedOneByteAtATimeDecodes() {
        Envelope e = sample(3);
        ByteBuf wire = encode(e);
        EmbeddedChannel ch = channel();
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        assertEquals(e, ch.readInbound());
        assertNull(ch.readInbound());
        wire.release();
        assertFalse(ch.finish());
    }

    /** Chunk sizes of 1 to 9 bytes in any order: 200 seeded draws, the same on every run. */
    static Stream<List<Integer>> chunkings() {
        return IntStream.range(0, 200).mapToObj(seed -> {
            Random r = new Random(seed);
            return IntStream.range(0, 1 + r.nextInt(10)).mapToObj(i -> 1 + r.nextInt(9)).toList();
        });
    }

    @ParameterizedTest
    @MethodSource("chunkings")
    void anyChunkingYieldsTheSameEnvelopes(List<Integer> chunks) {
        Envelope[] sent = {sample(1), sample(2), sample(3)};
        ByteBuf wire = encode(sent);
        EmbeddedChannel ch = channel();
        int i = 0;
        while (wire.isReadable()) {
            int n = Math.min(wire.readableBytes(), chunks.get(i++ % chunks.size()));
            ch.writeInbound(wire.readRetainedSlice(n));
        }
        wire.release();
        List<Envelope> got = new ArrayList<>();
        Envelope e;
        while ((e = ch.readInbound()) != null) {
            got.add(e);
        }
        assertEquals(List.of(sent), got);
        assertFalse(ch.finish());
    }

    @Test
    void severalFramesInOneBufferAllDecodeInOrder() {
        List<Envelope> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sent.add(sample(i));
        }
        sent.add(Envelope.newBuilder().setAck(Ack.newBuilder().setBootEpoch(9).setSequence(5)).build());
        sent.add(Envelope.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        ByteBuf wire = encode(sent.toArray(Envelope[]::new));
        EmbeddedChannel ch = channel();
        ch.writeInbound(wire);
        List<Envelope> got = new ArrayList<>();
        Envelope e;
        while ((e = ch.readInbound()) != null) {
            got.add(e);
        }
        assertEquals(sent, got);
        assertFalse(ch.finish());
    }

    @Test
    void oversizeLengthFailsFastWithoutBufferingTheBody() {
        EmbeddedChannel ch = channel();
        ByteBuf header = Unpooled.buffer().writeInt(MAX + 1).writeBytes(new byte[10]);
        DecoderException ex = assertThrows(DecoderException.class, () -> ch.writeInbound(header));
        assertTrue(ex instanceof TooLongFrameException, ex.toString());
        assertEquals(WireRejection.OVERSIZE, WireRejection.classify(ex));
        ch.finishAndReleaseAll();
    }

    /** An Envelope whose serialised size is exactly {@code size} bytes. */
    static Envelope ofSize(int size) {
        int pad = size;
        Envelope e;
        do {
            e = Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("x".repeat(Math.max(0, pad)))).build();
            pad += size - e.getSerializedSize();
        } while (e.getSerializedSize() != size);
        return e;
    }

    @Test
    void theCapIsOnTheBodyAndABodyOfExactlyTheCapPasses() {
        int cap = WireProtocol.DEFAULT_MAX_FRAME_BYTES;
        assertEquals(1_048_576, cap);
        for (int size : new int[] {cap, cap + 1}) {
            EmbeddedChannel ch = new EmbeddedChannel();
            Framing.addCodec(ch.pipeline(), cap);
            Envelope e = ofSize(size);
            ByteBuf frame = Unpooled.buffer().writeInt(size).writeBytes(e.toByteArray());
            if (size == cap) {
                ch.writeInbound(frame);
                assertEquals(e, ch.readInbound(), "a body of exactly 1 MiB is accepted");
                ch.writeOutbound(e);
                ByteBuf length = ch.readOutbound();
                ByteBuf body = ch.readOutbound();
                try {
                    assertEquals(4 + cap, length.readableBytes() + body.readableBytes(), "and sent");
                } finally {
                    length.release();
                    body.release();
                }
            } else {
                DecoderException ex = assertThrows(DecoderException.class, () -> ch.writeInbound(frame));
                assertEquals(WireRejection.OVERSIZE, WireRejection.classify(ex));
                assertThrows(EncoderException.class, () -> ch.writeOutbound(e), "one byte more is refused by the sender too");
            }
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void lengthWithTopBitSetIsOversizeNotNegative() {
        EmbeddedChannel ch = channel();
        ByteBuf header = Unpooled.buffer().writeInt(0xFFFF_FFF0);
        DecoderException ex = assertThrows(DecoderException.class, () -> ch.writeInbound(header));
        assertEquals(WireRejection.OVERSIZE, WireRejection.classify(ex));
        ch.finishAndReleaseAll();
    }

    @Test
    void garbagePayloadIsMalformed() {
        EmbeddedChannel ch = channel();
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x01};
        ByteBuf frame = Unpooled.buffer().writeInt(garbage.length).writeBytes(garbage);
        DecoderException ex = assertThrows(DecoderException.class, () -> ch.writeInbound(frame));
        assertTrue(ex instanceof CorruptedFrameException, ex.toString());
        assertEquals(WireRejection.MALFORMED, WireRejection.classify(ex));
        ch.finishAndReleaseAll();
    }

    @Test
    void emptyFrameIsAnEnvelopeWithoutBody() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.buffer().writeInt(0));
        Envelope e = ch.readInbound();
        assertEquals(Envelope.BodyCase.BODY_NOT_SET, e.getBodyCase());
        assertFalse(ch.finish());
    }

    @Test
    void unknownFieldsAreKeptAndIgnored() {
        // A newer peer may add fields; an older one must still read the rest.
        Envelope known = Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("a")).build();
        byte[] bytes = known.toByteArray();
        byte[] withUnknown = concat(bytes, new byte[] {(byte) 0xC0, 0x0C, 0x05}); // field 200 (varint) = 5
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.buffer().writeInt(withUnknown.length).writeBytes(withUnknown));
        Envelope e = ch.readInbound();
        assertEquals("a", e.getHello().getAgentId());
        assertFalse(ch.finish());
    }

    @Test
    void encoderRefusesAnEnvelopeOverTheCap() {
        EmbeddedChannel ch = channel();
        Envelope big = Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("x".repeat(MAX + 10))).build();
        assertThrows(EncoderException.class, () -> ch.writeOutbound(big));
        ch.finishAndReleaseAll();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
