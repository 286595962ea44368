package io.firstline.agent.link;

import io.firstline.agent.link.Outbox.Position;
import io.firstline.agent.link.Outbox.Stored;
import io.firstline.proto.Ack;
import io.firstline.proto.Envelope;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.SeriesDictionary;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * What one welcomed connection sends, and what its acks settle. Live
 * messages go out at once; the backlog (everything the outbox held when the
 * console welcomed us, of this boot and of earlier ones) follows at
 * {@code perSecond} messages a second, in ten slices a second, and only while
 * the socket is writable, so a long outage never delays live data or floods
 * the console. Each replayed boot epoch is preceded by its series
 * dictionary. Acks are positional: an Ack settles its message and every
 * message this connection sent before it. Runs on the link's event loop.
 */
final class Backfill {
    private static final long TICK_MS = 100;

    private final Channel ch;
    private final Outbox outbox;
    private final Supplier<List<SeriesDef>> currentDictionary;
    private final int perTick;
    private final ArrayDeque<Position> inflight = new ArrayDeque<>();
    private final Set<Long> dictionarySent = new HashSet<>();
    private final Position liveFrom;
    private Position cursor = Position.START;
    private long reportedDrops;
    private ScheduledFuture<?> timer;
    private boolean drained;

    Backfill(Channel ch, Outbox outbox, Supplier<List<SeriesDef>> currentDictionary, int perSecond) {
        this.ch = ch;
        this.outbox = outbox;
        this.currentDictionary = currentDictionary;
        this.perTick = Math.max(1, perSecond / (int) (1000 / TICK_MS));
        this.liveFrom = new Position(outbox.bootEpoch(), outbox.lastSequence() + 1);
    }

    void start() {
        sendDictionary(outbox.bootEpoch());
        ch.flush();
        tick();
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** A message produced while connected: straight out. */
    void live(Envelope e) {
        if (outbox.dropped(outbox.bootEpoch()) != reportedDrops) {
            sendDictionary(outbox.bootEpoch());
        }
        inflight.add(new Position(outbox.bootEpoch(), e.getSequence()));
        ch.writeAndFlush(e, ch.voidPromise());
    }

    void acked(Ack ack) {
        Position p = new Position(ack.getBootEpoch(), ack.getSequence());
        if (p.equals(inflight.peekFirst())) {
            inflight.removeFirst();
            outbox.ack(p.bootEpoch(), p.sequence());
            return;
        }
        if (!inflight.contains(p)) {
            outbox.ack(p.bootEpoch(), p.sequence());
            return;
        }
        Position q;
        do {
            q = inflight.removeFirst();
            outbox.ack(q.bootEpoch(), q.sequence());
        } while (!q.equals(p));
    }

    boolean drained() {
        return drained;
    }

    private void tick() {
        if (!ch.isActive()) {
            return;
        }
        if (ch.isWritable()) {
            List<Stored> batch = outbox.pending(cursor, liveFrom, perTick);
            for (Stored s : batch) {
                if (dictionarySent.add(s.bootEpoch())) {
                    sendDictionary(s.bootEpoch());
                }
                Envelope e = s.bootEpoch() == outbox.bootEpoch() ? s.envelope()
                        : s.envelope().toBuilder().setBootEpoch(s.bootEpoch()).build();
                inflight.add(s.position());
                ch.write(e, ch.voidPromise());
                cursor = s.position();
            }
            ch.flush();
            if (batch.size() < perTick) {
                drained = true;
                return;
            }
        }
        timer = ch.eventLoop().schedule(this::tick, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void sendDictionary(long epoch) {
        boolean current = epoch == outbox.bootEpoch();
        dictionarySent.add(epoch);
        long drops = outbox.dropped(epoch);
        if (current) {
            reportedDrops = drops;
        }
        ch.write(Envelope.newBuilder().setSeriesDictionary(SeriesDictionary.newBuilder()
                .setBootEpoch(epoch)
                .addAllSeries(current ? currentDictionary.get() : outbox.dictionary(epoch))
                .setDropped(drops)
                .setOldestPending(outbox.oldestPending(epoch))).build(), ch.voidPromise());
    }
}
