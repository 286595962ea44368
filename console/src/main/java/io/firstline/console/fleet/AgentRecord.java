package io.firstline.console.fleet;

import io.firstline.proto.CollectorRun;
import io.firstline.proto.Hello;
import io.firstline.proto.Inventory;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.TextValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console knows of one agent. Its connection's event loop writes it
 * and HTTP threads read it, so every method is synchronized; each agent has
 * its own lock, so agents never wait for one another.
 */
final class AgentRecord {
    private final String id;
    private Hello hello;
    private Object session;
    private String remoteAddress = "";
    private Instant lastSeen;
    private long bootEpoch;
    /** Per boot epoch: what was applied and what the agent reported dropped; the newest few epochs only. */
    private final java.util.TreeMap<Long, Epoch> epochs = new java.util.TreeMap<>();
    static final int EPOCHS_KEPT = 16;

    private static final class Epoch {
        final SequenceLedger ledger = new SequenceLedger();
        long dropped;
    }
    private final Map<Integer, SeriesDef> series = new HashMap<>();
    private final Map<Integer, Double> values = new LinkedHashMap<>();
    private final Map<Integer, String> texts = new LinkedHashMap<>();
    private List<CollectorRun> runs = List.of();
    private long sampleTimeMs;
    private Inventory inventory = Inventory.getDefaultInstance();

    AgentRecord(String id) {
        this.id = id;
    }

    /** A connection said Hello. Returns the sequence already committed for its boot epoch. */
    synchronized long connect(Hello h, Object session, String remote, Instant now) {
        if (h.getBootEpoch() != bootEpoch) {
            // A new boot: sequences and series ids start over. The old boot's
            // ledger stays, for messages of it replayed from the agent's spool.
            bootEpoch = h.getBootEpoch();
            series.clear();
            values.clear();
            texts.clear();
        }
        this.hello = h;
        this.session = session;
        this.remoteAddress = remote;
        this.lastSeen = now;
        return epoch(bootEpoch).ledger.watermark();
    }

    private Epoch epoch(long e) {
        Epoch x = epochs.get(e);
        if (x == null) {
            x = new Epoch();
            epochs.put(e, x);
            while (epochs.size() > EPOCHS_KEPT) {
                epochs.pollFirstEntry();
            }
        }
        return x;
    }

    /** Applies a dictionary; returns how many more drops the agent reported for its epoch than before. */
    synchronized long dictionary(long epoch, List<SeriesDef> defs, long dropped, long oldestPending) {
        if (epoch == bootEpoch) {
            define(defs);
        }
        Epoch x = epoch(epoch);
        if (oldestPending > 0) {
            x.ledger.floor(oldestPending);
        }
        long delta = Math.max(0, dropped - x.dropped);
        x.dropped = Math.max(x.dropped, dropped);
        return delta;
    }

    /** The connection {@code session} ended; a newer connection of the same agent is left alone. */
    synchronized void disconnect(Object session, Instant now) {
        if (this.session == session) {
            this.session = null;
            this.lastSeen = now;
        }
    }

    synchronized void touch(Instant now) {
        lastSeen = now;
    }

    synchronized void define(List<SeriesDef> defs) {
        for (SeriesDef d : defs) {
            series.put(d.getId(), d);
        }
    }

    /**
     * Applies a sample unless its sequence was already applied.
     *
     * @return false for a duplicate
     */
    synchronized boolean apply(long epoch, long sequence, Sample s, Instant now) {
        lastSeen = now;
        if (sequence != 0 && !epoch(epoch).ledger.add(sequence)) {
            return false;
        }
        if (epoch != bootEpoch) {
            // A sample of an earlier boot, replayed from the spool: counted
            // once, but its series ids are not this boot's, and it is older
            // than what the live view shows.
            return true;
        }
        for (SeriesDef d : s.getNewSeriesList()) {
            series.put(d.getId(), d);
        }
        // Replayed samples can be older than what we show; keep the newest.
        if (s.getTimestampMs() >= sampleTimeMs) {
            int n = Math.min(s.getSeriesCount(), s.getValuesCount());
            values.clear();
            for (int i = 0; i < n; i++) {
                values.put(s.getSeries(i), s.getValues(i));
            }
            texts.clear();
            for (TextValue t : s.getTextsList()) {
                texts.put(t.getSeries(), t.getValue());
            }
            runs = List.copyOf(s.getCollectorsList());
            sampleTimeMs = s.getTimestampMs();
        }
        return true;
    }

    synchronized boolean applyInventory(long epoch, long sequence, Inventory inv, Instant now) {
        lastSeen = now;
        if (sequence != 0 && !epoch(epoch).ledger.add(sequence)) {
            return false;
        }
        if (epoch == bootEpoch) {
            inventory = inv;
        }
        return true;
    }

    synchronized long committedThrough() {
        Epoch e = epochs.get(bootEpoch);
        return e == null ? 0 : e.ledger.watermark();
    }

    /** Spool drops the agent reported, over the boot epochs still tracked. */
    synchronized long spoolDropped() {
        long n = 0;
        for (Epoch e : epochs.values()) {
            n += e.dropped;
        }
        return n;
    }

    synchronized boolean isOnline(Instant now, java.time.Duration offlineAfter) {
        return FleetState.online(session != null, lastSeen, now, offlineAfter);
    }

    synchronized boolean isConnected() {
        return session != null;
    }

    synchronized long bootEpoch() {
        return bootEpoch;
    }

    /** An immutable copy for readers. */
    synchronized AgentSnapshot snapshot() {
        List<AgentSnapshot.Value> vs = new ArrayList<>(values.size());
        values.forEach((sid, v) -> {
            SeriesDef d = series.get(sid);
            if (d != null) {
                vs.add(new AgentSnapshot.Value(d.getMetric(), d.getResource(), v));
            }
        });
        List<AgentSnapshot.Text> ts = new ArrayList<>(texts.size());
        texts.forEach((sid, v) -> {
            SeriesDef d = series.get(sid);
            if (d != null) {
                ts.add(new AgentSnapshot.Text(d.getMetric(), d.getResource(), v));
            }
        });
        List<AgentSnapshot.Run> rs = new ArrayList<>(runs.size());
        for (CollectorRun r : runs) {
            String name = r.getCollector() < hello.getCollectorsCount() ? hello.getCollectors(r.getCollector()) : "#" + r.getCollector();
            rs.add(new AgentSnapshot.Run(name, r.getOutcome().name(), r.getDurationMicros(), r.getError()));
        }
        return new AgentSnapshot(id, hello.getHost(), hello.getAgentVersion(), session != null, remoteAddress, lastSeen,
                bootEpoch, epochs.containsKey(bootEpoch) ? epochs.get(bootEpoch).ledger.highest() : 0, sampleTimeMs == 0 ? null : Instant.ofEpochMilli(sampleTimeMs), vs, ts, rs, inventory);
    }
}
