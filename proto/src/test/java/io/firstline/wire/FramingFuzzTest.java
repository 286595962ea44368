package io.firstline.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.firstline.proto.Ack;
import io.firstline.proto.Envelope;
import io.firstline.proto.Heartbeat;
import io.firstline.proto.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes the inbound agent-link codec (length prefix, then protobuf) with any
 * bytes a peer could send. Seeds and findings: {@code FramingFuzzTestInputs/}
 * beside this class in the test resources; docs/testing.md explains the pattern.
 */
class FramingFuzzTest {

    /**
     * Whatever arrives, and however TCP splits it: every failure is classified
     * as {@code oversize} or {@code malformed}; the frames decoded before the
     * first failure are the same whether the bytes come in one buffer or one
     * byte at a time; and every decoded envelope survives a re-encode.
     */
    @FuzzTest
    void anyBytesDecodeTheSameHoweverSplit(byte[] wire) {
        List<Object> whole = decode(wire, wire.length);
        List<Object> byteByByte = decode(wire, 1);
        assertEquals(whole, byteByByte, "decoding must not depend on how the stream is split");
        for (Object event : whole) {
            if (event instanceof WireRejection r) {
                assertTrue(r == WireRejection.OVERSIZE || r == WireRejection.MALFORMED, r.toString());
            } else {
                Envelope e = (Envelope) event;
                assertEquals(List.of(e), decode(FramingTest.encode(e), Integer.MAX_VALUE), "re-encoded envelope");
            }
        }
    }

    /**
     * Feeds {@code wire} in chunks of {@code chunk} bytes and returns what the
     * codec produced, in order: envelopes, then the rejection that would close
     * the connection (nothing after it, as the session closes there).
     */
    private static List<Object> decode(byte[] wire, int chunk) {
        ByteBuf all = Unpooled.wrappedBuffer(wire);
        return decode(all, chunk);
    }

    private static List<Object> decode(ByteBuf wire, int chunk) {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel ch = FramingTest.channel();
        ch.pipeline().addLast(new Recorder(events));
        try {
            while (wire.isReadable() && !(last(events) instanceof WireRejection)) {
                ch.writeInbound(wire.readRetainedSlice(Math.min(chunk, wire.readableBytes())));
            }
        } finally {
            wire.release();
            ch.finishAndReleaseAll();
        }
        int firstFailure = events.indexOf(events.stream().filter(WireRejection.class::isInstance).findFirst().orElse(null));
        return firstFailure < 0 ? events : new ArrayList<>(events.subList(0, firstFailure + 1));
    }

    private static Object last(List<Object> events) {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    /** The session's place in the pipeline: records envelopes and classified failures in arrival order. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        private final List<Object> events;

        Recorder(List<Object> events) {
            this.events = events;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Envelope e) {
                events.add(e);
            } else {
                ReferenceCountUtil.release(msg);
                throw new AssertionError("the codec passed on a " + msg.getClass().getName() + ", not an Envelope");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add(WireRejection.classify(cause));
        }
    }

    /**
     * Rewrites the seed corpus from readable definitions:
     * {@code ./mvnw -pl proto test -Dtest=FramingFuzzTest -Dfirstline.writeSeeds=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "firstline.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("one-sample", bytes(FramingTest.encode(FramingTest.sample(7))));
        seeds.put("three-kinds", bytes(FramingTest.encode(FramingTest.sample(1),
                Envelope.newBuilder().setAck(Ack.newBuilder().setBootEpoch(9).setSequence(5)).build(),
                Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAgentTimeMs(12)).build())));
        seeds.put("hello", bytes(FramingTest.encode(Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("a")
                .setBootEpoch(3).setProtocolVersion(1).setMinProtocolVersion(1)).build())));
        seeds.put("empty-frame", new byte[] {0, 0, 0, 0});
        seeds.put("oversize-length", new byte[] {0, 0, 4, 1, 1, 2, 3});
        seeds.put("top-bit-length", new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0});
        seeds.put("garbage-payload", new byte[] {0, 0, 0, 7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 7, 1});
        seeds.put("truncated-frame", Arrays.copyOf(seeds.get("one-sample"), 9));
        byte[] hello = Envelope.newBuilder().setHello(Hello.newBuilder().setAgentId("a")).build().toByteArray();
        byte[] unknown = Arrays.copyOf(hello, hello.length + 3);
        unknown[hello.length] = (byte) 0xC0;
        unknown[hello.length + 1] = 0x0C;
        unknown[hello.length + 2] = 0x05;
        seeds.put("unknown-field", bytes(Unpooled.buffer().writeInt(unknown.length).writeBytes(unknown)));
        Path dir = Path.of("src/test/resources/io/firstline/wire/FramingFuzzTestInputs/anyBytesDecodeTheSameHoweverSplit");
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }
}
