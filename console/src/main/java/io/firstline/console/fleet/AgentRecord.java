package io.firstline.console.fleet;

import io.firstline.proto.CollectorRun;
import io.firstline.proto.Hello;
import io.firstline.proto.HostFacts;
import io.firstline.proto.Inventory;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.TextValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the console knows of one agent. Its connection's event loop writes it
 * and HTTP threads read it, so every method is synchronized; each agent has
 * its own lock, so agents never wait for one another.
 */
final class AgentRecord {
    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    private final String id;
    private final AtomicLong changes;
    private final MetricHistory history;
    private long changed;
    private Hello hello;
    private Object session;
    private String remoteAddress = "";
    private Instant lastSeen;
    /** Since when the console knows the agent: its enrollment, or its first Hello. */
    private Instant knownSince;
    /** Persistence (see {@link FleetStore}): save within a second; Hello and inventory changed since the last save. */
    private boolean urgent;
    private boolean helloDirty;
    private boolean inventoryDirty;
    private long savedChange;
    private long bootEpoch;
    /**
     * The other console node this agent is connected to, as the shared
     * presence says (docs/architecture.md, "Several nodes"); null when it is
     * connected to none, or here. {@code remoteConnectedAt} tells that node's
     * connections apart.
     */
    private String remoteNode;
    private long remoteConnectedAt;
    /** Presence: this node's row to write within a second (a connect or disconnect here), and the change last written. */
    private boolean presenceUrgent;
    private long presenceSaved;
    /** Per boot epoch: what was applied and what the agent reported dropped; the newest few epochs only. */
    private final java.util.TreeMap<Long, Epoch> epochs = new java.util.TreeMap<>();
    static final int EPOCHS_KEPT = 16;

    private record LatestRun(CollectorRun run, long sampleTimeMs) {
    }

    private static final class Epoch {
        final SequenceLedger ledger = new SequenceLedger();
        long dropped;
        /** The watermark the shared store holds for this epoch (several nodes only). */
        long stored;
    }
    private final Map<Integer, SeriesDef> series = new HashMap<>();
    private final Map<Integer, Double> values = new LinkedHashMap<>();
    private final Map<Integer, String> texts = new LinkedHashMap<>();
    /** Each collector's latest run (by its index in the Hello), with the time of the sample it came in. */
    private final java.util.TreeMap<Integer, LatestRun> runs = new java.util.TreeMap<>();
    private long sampleTimeMs;
    private Inventory inventory = Inventory.getDefaultInstance();
    private String site = "";
    private float cpu = Float.NaN;
    private float memory = Float.NaN;
    private float disk = Float.NaN;
    private String diskMount = "";

    AgentRecord(String id) {
        this(id, new AtomicLong(), MetricHistory.oneHour(5));
    }

    /**
     * @param changes the fleet's change counter: every change to this record
     *                takes the next number, so readers can ask what changed since
     */
    AgentRecord(String id, AtomicLong changes, MetricHistory history) {
        this.id = id;
        this.changes = changes;
        this.history = history;
    }

    private void changed() {
        changed = changes.incrementAndGet();
    }

    /** The fleet change number of this record's latest change. */
    synchronized long lastChange() {
        return changed;
    }

    synchronized HistoryView history(long nowEpochSecond) {
        return history.view(nowEpochSecond);
    }

    /**
     * A connection said Hello. {@code settled} is what the shared store holds
     * settled per boot epoch (another node applied it): the ledger starts
     * from there. Returns the sequence already committed for its boot epoch.
     */
    synchronized long connect(Hello h, Object session, String remote, Instant now, Map<Long, Long> settled) {
        if (h.getBootEpoch() != bootEpoch) {
            // A new boot: sequences and series ids start over. The old boot's
            // ledger stays, for messages of it replayed from the agent's spool.
            bootEpoch = h.getBootEpoch();
            series.clear();
            values.clear();
            texts.clear();
            runs.clear(); // collector numbers are per boot: the Hello lists them anew
            cpu = Float.NaN;
            memory = Float.NaN;
            disk = Float.NaN;
            diskMount = "";
        }
        settled.forEach((e, through) -> {
            Epoch x = epoch(e);
            x.ledger.floor(through + 1);
            x.stored = Math.max(x.stored, through);
        });
        this.hello = h;
        this.session = session;
        this.remoteAddress = remote;
        this.lastSeen = now;
        this.remoteNode = null;
        if (knownSince == null) {
            knownSince = now;
        }
        urgent = true;
        helloDirty = true;
        presenceUrgent = true;
        changed();
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
            urgent = true;
            presenceUrgent = true;
            changed();
        }
    }

    /** The site the agent enrolled for (empty when not enrolled through a token). */
    synchronized void site(String s) {
        if (!s.equals(site)) {
            site = s;
            urgent = true;
            changed();
        }
    }

    synchronized void touch(Instant now) {
        lastSeen = now;
        changed();
    }

    synchronized void define(List<SeriesDef> defs) {
        for (SeriesDef d : defs) {
            series.put(d.getId(), d);
        }
    }

    /** Whether sequence {@code sequence} of boot epoch {@code epoch} is settled (committed, refused or known lost). */
    synchronized boolean settled(long epoch, long sequence) {
        Epoch x = epochs.get(epoch);
        return x != null && x.ledger.contains(sequence);
    }

    /**
     * Records a sequenced message of any kind as settled, once it is
     * committed (or refused for good): the one place the ledger grows.
     *
     * @return false if it was settled already
     */
    synchronized boolean settle(long epoch, long sequence) {
        return epoch(epoch).ledger.add(sequence);
    }

    /** Applies a sample's values (the caller has checked the ledger and settles it afterwards). */
    synchronized void applySample(long epoch, Sample s, Instant now) {
        lastSeen = now;
        changed();
        if (epoch != bootEpoch) {
            // A sample of an earlier boot, replayed from the spool: counted
            // once, but its series ids are not this boot's, and it is older
            // than what the live view shows.
            return;
        }
        for (SeriesDef d : s.getNewSeriesList()) {
            series.put(d.getId(), d);
        }
        // Replayed samples can be older than what we show; keep the newest.
        if (s.getTimestampMs() >= sampleTimeMs) {
            // A collector that ran replaces all its series; series of collectors
            // on slower schedules that did not run in this sample stay.
            Set<Integer> ran = new HashSet<>();
            s.getCollectorsList().forEach(r -> ran.add(r.getCollector()));
            values.keySet().removeIf(id -> replacedBy(id, ran));
            texts.keySet().removeIf(id -> replacedBy(id, ran));
            int n = Math.min(s.getSeriesCount(), s.getValuesCount());
            for (int i = 0; i < n; i++) {
                values.put(s.getSeries(i), s.getValues(i));
            }
            int m = Math.min(s.getScaledSeriesCount(), s.getScaledCount());
            for (int i = 0; i < m; i++) {
                SeriesDef d = series.get(s.getScaledSeries(i));
                values.put(s.getScaledSeries(i), s.getScaled(i) / POW10[d == null ? 0 : Math.min(d.getDecimals(), POW10.length - 1)]);
            }
            for (TextValue t : s.getTextsList()) {
                texts.put(t.getSeries(), t.getValue());
            }
            // Collectors on slower schedules are absent from most samples:
            // each keeps its latest outcome until it runs again.
            for (CollectorRun r : s.getCollectorsList()) {
                runs.put(r.getCollector(), new LatestRun(r, s.getTimestampMs()));
            }
            sampleTimeMs = s.getTimestampMs();
            recordHistory(Math.floorDiv(sampleTimeMs, 1000));
        }
    }

    private void recordHistory(long epochSecond) {
        float cpu = Float.NaN;
        float memory = Float.NaN;
        float disk = Float.NaN;
        String mount = "";
        float rx = 0;
        float tx = 0;
        for (Map.Entry<Integer, Double> e : values.entrySet()) {
            SeriesDef d = series.get(e.getKey());
            if (d == null) {
                continue;
            }
            float v = e.getValue().floatValue();
            switch (d.getMetric()) {
                case "cpu.usage_ratio" -> cpu = v;
                case "memory.used_ratio" -> memory = v;
                case "fs.used_ratio" -> {
                    if (Float.isNaN(disk) || v > disk) {
                        disk = v;
                        mount = d.getResource();
                    }
                }
                case "net.rx_bytes_per_second" -> rx += "lo".equals(d.getResource()) ? 0 : v;
                case "net.tx_bytes_per_second" -> tx += "lo".equals(d.getResource()) ? 0 : v;
                default -> {
                }
            }
        }
        history.record(epochSecond, cpu, memory, disk, rx, tx);
        this.cpu = cpu;
        this.memory = memory;
        this.disk = disk;
        this.diskMount = mount;
    }

    /** Whether a sample in which the collectors {@code ran} ran replaces series {@code id}'s value. */
    private boolean replacedBy(int id, Set<Integer> ran) {
        SeriesDef d = series.get(id);
        return d == null || !d.hasCollector() || ran.contains(d.getCollector());
    }

    /** Applies an inventory (the caller has checked the ledger and settles it afterwards). */
    synchronized void applyInventory(long epoch, Inventory inv, Instant now) {
        lastSeen = now;
        changed();
        if (epoch == bootEpoch && !inv.equals(inventory)) {
            inventory = inv;
            inventoryDirty = true;
            urgent = true;
        }
    }

    synchronized long committedThrough() {
        Epoch e = epochs.get(bootEpoch);
        return e == null ? 0 : e.ledger.watermark();
    }

    /** Sequences of the current boot epoch settled above the watermark (the ledger's only growing part). */
    synchronized int settledAboveWatermark() {
        Epoch e = epochs.get(bootEpoch);
        return e == null ? 0 : e.ledger.waiting();
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
        return FleetState.online(session != null || remoteNode != null, lastSeen, now, offlineAfter);
    }

    /**
     * This node's presence row to write now, or null: an agent that connected
     * or disconnected here always, one connected here that changed since the
     * last write too. The ledger goes along for the epochs whose watermark
     * moved past what the store holds.
     */
    synchronized Presence presence(String nodeId) {
        boolean here = session != null;
        if (knownSince == null || !presenceUrgent && !(here && changed > presenceSaved)) {
            return null;
        }
        presenceUrgent = false;
        presenceSaved = changed;
        Map<Long, Long> ledger = new java.util.TreeMap<>();
        epochs.forEach((e, x) -> {
            if (x.ledger.watermark() > x.stored) {
                ledger.put(e, x.ledger.watermark());
            }
        });
        return new Presence(id, nodeId, here, 0, knownSince, lastSeen, null, site, cpu, memory, disk, diskMount, ledger);
    }

    /** The store holds {@code p} now. */
    synchronized void presenceWritten(Presence p) {
        p.settledThrough().forEach((e, through) -> {
            Epoch x = epochs.get(e);
            if (x != null) {
                x.stored = Math.max(x.stored, through);
            }
        });
    }

    /** Writing {@code p} failed: it is taken again on the next pass. */
    synchronized void presenceFailed(Presence p) {
        presenceUrgent = true;
    }

    /**
     * Another node's presence row for this agent: while it is not connected
     * here, the fleet shows what that node wrote (online there while the
     * node is {@code alive}).
     */
    synchronized void remote(Presence p, boolean alive) {
        if (session != null) {
            return;
        }
        boolean on = p.connected() && alive;
        remoteNode = on ? p.nodeId() : null;
        remoteConnectedAt = on ? p.connectedAtMs() : 0;
        if (p.lastSeen() != null && (lastSeen == null || p.lastSeen().isAfter(lastSeen))) {
            lastSeen = p.lastSeen();
        }
        if (knownSince == null || p.knownSince().isBefore(knownSince)) {
            knownSince = p.knownSince();
        }
        if (!p.site().isEmpty()) {
            site = p.site();
        }
        if (p.hello() != null) {
            hello = p.hello();
        }
        cpu = p.cpu();
        memory = p.memory();
        disk = p.fullestDisk();
        diskMount = p.fullestMount();
        remoteChanged();
    }

    /** Whether {@code p} announces a connection to another node whose Hello this node has not seen (to fetch it first). */
    synchronized boolean wantsHello(Presence p) {
        return session == null && p.connected() && (!p.nodeId().equals(remoteNode) || p.connectedAtMs() != remoteConnectedAt);
    }

    /** Nodes that stopped saying they are alive: an agent connected to one of them is offline until it reconnects. */
    synchronized void nodesAlive(Set<String> alive) {
        if (remoteNode != null && !alive.contains(remoteNode)) {
            remoteNode = null;
            remoteChanged();
        }
    }

    /** A change another node made: shown at once, but this node neither saves it nor writes it back as presence. */
    private void remoteChanged() {
        boolean unsaved = changed > savedChange;
        boolean unwritten = changed > presenceSaved;
        changed();
        if (!unsaved) {
            savedChange = changed;
        }
        if (!unwritten) {
            presenceSaved = changed;
        }
    }

    synchronized String remoteNode() {
        return remoteNode == null ? "" : remoteNode;
    }

    synchronized boolean isConnected() {
        return session != null;
    }

    synchronized long bootEpoch() {
        return bootEpoch;
    }

    /** Known from enrollment on, before any Hello: the site it enrolled for and when. */
    synchronized void enrolled(String s, Instant at) {
        if (knownSince == null || at.isBefore(knownSince)) {
            knownSince = at;
            urgent = true;
            presenceUrgent = true; // other nodes list it from its enrollment on too
        }
        site(s);
    }

    /** Takes the facts a console stored before it restarted; the agent is offline until it says Hello. */
    synchronized void restore(StoredAgent a) {
        hello = a.hello();
        bootEpoch = hello == null ? 0 : hello.getBootEpoch();
        inventory = a.inventory() == null ? Inventory.getDefaultInstance() : a.inventory();
        site = a.site();
        knownSince = a.knownSince();
        lastSeen = a.lastSeen();
        cpu = a.cpu();
        memory = a.memory();
        disk = a.fullestDisk();
        diskMount = a.fullestMount();
        changed();
        savedChange = changed;
    }

    /**
     * What to save now, or null: a record that connected, disconnected or
     * changed its facts always; with {@code periodic}, also one that only
     * took samples since its last save (for its last-seen time and values).
     * Hello and inventory go along only when they changed.
     */
    synchronized StoredAgent toSave(boolean periodic) {
        if (knownSince == null || !urgent && !(periodic && changed > savedChange)) {
            return null;
        }
        StoredAgent row = new StoredAgent(id, site, helloDirty ? hello : null, inventoryDirty ? inventory : null, knownSince,
                lastSeen, cpu, memory, disk, diskMount);
        urgent = false;
        helloDirty = false;
        inventoryDirty = false;
        savedChange = changed;
        return row;
    }

    /** The save of {@code row} failed: it is taken again on the next pass. */
    synchronized void saveFailed(StoredAgent row) {
        urgent = true;
        helloDirty |= row.hello() != null;
        inventoryDirty |= row.inventory() != null;
    }

    private Hello hello() {
        return hello == null ? Hello.getDefaultInstance() : hello;
    }

    /** The overview facts, without copying the values (for the fleet page). */
    synchronized AgentSummary summary(Instant now, java.time.Duration offlineAfter) {
        HostFacts h = hello().getHost();
        return new AgentSummary(id, h.getHostname(), (h.getOsFamily() + " " + h.getOsVersion()).trim(), site,
                FleetState.online(session != null || remoteNode != null, lastSeen, now, offlineAfter), lastSeen, cpu, memory, disk,
                diskMount);
    }

    /** Fills {@code in} with what the console-side rules read (see {@link FleetState#forEachRuleInput}). */
    synchronized void ruleInput(FleetState.RuleInput in, FleetState.RuleVisitor visitor) {
        boolean remote = remoteNode != null;
        in.facts(id, lastSeen != null ? lastSeen : knownSince, session != null, session != null || remote, remote ? 0 : sampleTimeMs);
        if (remote || sampleTimeMs == 0 || values.isEmpty() || !visitor.wantsValues(in)) {
            return;
        }
        for (Map.Entry<Integer, Double> e : values.entrySet()) {
            SeriesDef d = series.get(e.getKey());
            if (d != null && visitor.watches(d.getMetric())) {
                in.value(d.getMetric(), d.getResource(), e.getValue());
            }
        }
    }

    /** An immutable copy for readers. */
    synchronized AgentSnapshot snapshot() {
        if (remoteNode != null) {
            return remoteSnapshot();
        }
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
        Hello hello = hello();
        for (LatestRun latest : runs.values()) {
            CollectorRun r = latest.run();
            String name = r.getCollector() < hello.getCollectorsCount() ? hello.getCollectors(r.getCollector()) : "#" + r.getCollector();
            rs.add(new AgentSnapshot.Run(name, r.getOutcome().name(), r.getDurationMicros(), r.getError(),
                    Instant.ofEpochMilli(latest.sampleTimeMs())));
        }
        return new AgentSnapshot(id, hello.getHost(), site, hello.getAgentVersion(), session != null, remoteAddress, lastSeen,
                knownSince, bootEpoch, epochs.containsKey(bootEpoch) ? epochs.get(bootEpoch).ledger.highest() : 0, sampleTimeMs == 0 ? null : Instant.ofEpochMilli(sampleTimeMs), vs, ts, rs, inventory, "");
    }

    /**
     * An agent connected to another node: the fleet row's facts that node
     * shares (its values, collectors and history are on that node alone).
     */
    private AgentSnapshot remoteSnapshot() {
        List<AgentSnapshot.Value> vs = new ArrayList<>(3);
        if (!Float.isNaN(cpu)) {
            vs.add(new AgentSnapshot.Value("cpu.usage_ratio", "", cpu));
        }
        if (!Float.isNaN(memory)) {
            vs.add(new AgentSnapshot.Value("memory.used_ratio", "", memory));
        }
        if (!Float.isNaN(disk)) {
            vs.add(new AgentSnapshot.Value("fs.used_ratio", diskMount, disk));
        }
        Hello hello = hello();
        return new AgentSnapshot(id, hello.getHost(), site, hello.getAgentVersion(), true, "", lastSeen, knownSince,
                hello.getBootEpoch(), 0, null, vs, List.of(), List.of(), inventory, remoteNode);
    }
}
