package io.firstline.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.firstline.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Fuzzes the inbound codec: it must either decode or fail with a classified reason, never hang or leak. */
class DecoderPropertiesTest {

    @Property(tries = 300)
    void randomBytesNeverEscapeClassification(@ForAll @Size(max = 2048) byte[] bytes) {
        EmbeddedChannel ch = FramingTest.channel();
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        } catch (DecoderException e) {
            WireRejection r = WireRejection.classify(e);
            assertEquals(true, r == WireRejection.OVERSIZE || r == WireRejection.MALFORMED, r.toString());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Property(tries = 200)
    void mutatedFramesDecodeOrFailCleanly(@ForAll("frames") ByteBuf wire, @ForAll @IntRange(min = 0, max = 10_000) int position,
                                          @ForAll byte value) {
        int idx = position % wire.readableBytes();
        wire.setByte(idx, value);
        EmbeddedChannel ch = FramingTest.channel();
        try {
            ch.writeInbound(wire);
        } catch (DecoderException e) {
            WireRejection r = WireRejection.classify(e);
            assertEquals(true, r == WireRejection.OVERSIZE || r == WireRejection.MALFORMED, r.toString());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Property(tries = 100)
    void anyChunkingYieldsTheSameEnvelopes(@ForAll("chunkSizes") List<Integer> chunks) {
        Envelope[] sent = {FramingTest.sample(1), FramingTest.sample(2), FramingTest.sample(3)};
        ByteBuf wire = FramingTest.encode(sent);
        EmbeddedChannel ch = FramingTest.channel();
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
        ch.finishAndReleaseAll();
    }

    @Provide
    Arbitrary<ByteBuf> frames() {
        return Arbitraries.longs().between(1, 1_000_000).map(seq -> FramingTest.encode(FramingTest.sample(seq)));
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(1, 9).list().ofMinSize(1).ofMaxSize(10);
    }
}
