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
    /** Where this record goes when it has something to save soon (see {@link FleetState#toSave}), once until taken. */
    private final java.util.Queue<AgentRecord> toSave;
    private boolean queued;
    /** Where this record goes when something the console-side rules read changed (see {@link FleetState#drainRuleChanges}), once until taken. */
    private final java.util.Queue<AgentRecord> ruleChanges;
    private boolean ruleQueued;
    private final MetricHistory history;
    private long changed;
    private Hello hello;
    private Object session;
    private String remoteAddress = "";
    /** When the agent was last heard, as two numbers (a sample stores no object in this long-lived record); see {@link #lastSeen()}. */
    private long lastSeenSecond;
    private int lastSeenNano = -1;
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

    /** A collector's latest run, updated in place (its outcome by number). */
    private static final class LatestRun {
        int outcome;
        long durationMicros;
        String error = "";
        long sampleTimeMs;
    }

    /**
     * A series as the record keeps it: its names shared with every other
     * agent's (interned, so 10,000 agents do not each hold a copy of
     * "fs.used_ratio"), and which chart of the history it feeds.
     */
    private record Series(String metric, String resource, int collector, int decimals, int chart) {
        static final int OTHER = 0;
        static final int CPU = 1;
        static final int MEMORY = 2;
        static final int DISK = 3;
        static final int RX = 4;
        static final int TX = 5;

        static Series of(SeriesDef d) {
            String metric = d.getMetric().intern();
            int chart = switch (metric) {
                case "cpu.usage_ratio" -> CPU;
                case "memory.used_ratio" -> MEMORY;
                case "fs.used_ratio" -> DISK;
                case "net.rx_bytes_per_second" -> RX;
                case "net.tx_bytes_per_second" -> TX;
                default -> OTHER;
            };
            return new Series(metric, d.getResource().intern(), d.hasCollector() ? d.getCollector() : -1,
                    Math.max(0, Math.min(d.getDecimals(), POW10.length - 1)), chart);
        }

        boolean replacedBy(int[] ran, int ranCount) {
            if (collector < 0) {
                return true;
            }
            for (int i = 0; i < ranCount; i++) {
                if (ran[i] == collector) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Epoch {
        final SequenceLedger ledger = new SequenceLedger();
        long dropped;
        /** The watermark the shared store holds for this epoch (several nodes only). */
        long stored;
    }
    private final Map<Integer, Series> series = new HashMap<>();
    private final SeriesValues values = new SeriesValues();
    /** The collectors that ran in the sample being applied (scratch, reused). */
    private int[] ran = new int[8];
    private int ranCount;
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
        this(id, new AtomicLong(), MetricHistory.oneHour(5), new java.util.concurrent.ConcurrentLinkedQueue<>(),
                new java.util.concurrent.ConcurrentLinkedQueue<>());
    }

    /**
     * @param changes the fleet's change counter: every change to this record
     *                takes the next number, so readers can ask what changed since
     * @param ruleChanges where the record goes when it changes, once until the console-side rules take it
     */
    AgentRecord(String id, AtomicLong changes, MetricHistory history, java.util.Queue<AgentRecord> toSave,
                java.util.Queue<AgentRecord> ruleChanges) {
        this.id = id;
        this.toSave = toSave;
        this.ruleChanges = ruleChanges;
        this.changes = changes;
        this.history = history;
    }

    private void seen(Instant at) {
        if (at == null) {
            lastSeenNano = -1;
        } else {
            lastSeenSecond = at.getEpochSecond();
            lastSeenNano = at.getNano();
        }
    }

    /** When the agent was last heard (here, or on another node as its presence says); null if never. */
    private Instant lastSeen() {
        return lastSeenNano < 0 ? null : Instant.ofEpochSecond(lastSeenSecond, lastSeenNano);
    }

    /** Something to save within a second: the record joins the save queue (once until the next save takes it). */
    private void urgent() {
        urgent = true;
        if (!queued) {
            queued = true;
            toSave.add(this);
        }
    }

    private void changed() {
        changed = changes.incrementAndGet();
        if (!ruleQueued) {
            ruleQueued = true;
            ruleChanges.add(this);
        }
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
        seen(now);
        this.remoteNode = null;
        if (knownSince == null) {
            knownSince = now;
        }
        urgent();
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
            seen(now);
            urgent();
            presenceUrgent = true;
            changed();
        }
    }

    /** The site the agent enrolled for (empty when not enrolled through a token). */
    synchronized void site(String s) {
        if (!s.equals(site)) {
            site = s;
            urgent();
            changed();
        }
    }

    synchronized void touch(Instant now) {
        seen(now);
        changed();
    }

    synchronized void define(List<SeriesDef> defs) {
        for (SeriesDef d : defs) {
            define(d);
        }
    }

    private void define(SeriesDef d) {
        Series known = series.get(d.getId());
        Series now = Series.of(d);
        if (!now.equals(known)) {
            series.put(d.getId(), now);
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
        seen(now);
        changed();
        if (epoch != bootEpoch) {
            // A sample of an earlier boot, replayed from the spool: counted
            // once, but its series ids are not this boot's, and it is older
            // than what the live view shows.
            return;
        }
        for (SeriesDef d : s.getNewSeriesList()) {
            define(d);
        }
        // Replayed samples can be older than what we show; keep the newest.
        if (s.getTimestampMs() >= sampleTimeMs) {
            // A collector that ran replaces all its series; series of collectors
            // on slower schedules that did not run in this sample stay.
            ranCount = 0;
            for (int i = 0; i < s.getCollectorsCount(); i++) {
                if (ranCount == ran.length) {
                    ran = java.util.Arrays.copyOf(ran, 2 * ranCount);
                }
                ran[ranCount++] = s.getCollectors(i).getCollector();
            }
            values.removeIf(this::replaced);
            // Texts rarely change: an unchanged one keeps its entry, so a sample puts no new object into this
            // long-lived map (each such store is work for the collector's write barrier at thousands of agents).
            texts.keySet().removeIf(k -> replaced(k) && !hasText(s, k));
            int n = Math.min(s.getSeriesCount(), s.getValuesCount());
            for (int i = 0; i < n; i++) {
                values.put(s.getSeries(i), s.getValues(i));
            }
            int m = Math.min(s.getScaledSeriesCount(), s.getScaledCount());
            for (int i = 0; i < m; i++) {
                Series d = series.get(s.getScaledSeries(i));
                values.put(s.getScaledSeries(i), s.getScaled(i) / POW10[d == null ? 0 : d.decimals()]);
            }
            for (TextValue t : s.getTextsList()) {
                String before = texts.get(t.getSeries());
                if (before == null || !before.equals(t.getValue())) {
                    texts.put(t.getSeries(), t.getValue());
                }
            }
            // Collectors on slower schedules are absent from most samples:
            // each keeps its latest outcome until it runs again.
            for (CollectorRun r : s.getCollectorsList()) {
                LatestRun latest = runs.get(r.getCollector());
                if (latest == null) {
                    latest = new LatestRun();
                    runs.put(r.getCollector(), latest);
                }
                latest.outcome = r.getOutcomeValue();
                latest.durationMicros = r.getDurationMicros();
                if (!latest.error.equals(r.getError())) {
                    latest.error = r.getError();
                }
                latest.sampleTimeMs = s.getTimestampMs();
            }
            sampleTimeMs = s.getTimestampMs();
            recordHistory(Math.floorDiv(sampleTimeMs, 1000));
        }
    }

    private static boolean hasText(Sample s, int series) {
        for (int i = 0; i < s.getTextsCount(); i++) {
            if (s.getTexts(i).getSeries() == series) {
                return true;
            }
        }
        return false;
    }

    private void recordHistory(long epochSecond) {
        float cpu = Float.NaN;
        float memory = Float.NaN;
        float disk = Float.NaN;
        String mount = "";
        float rx = 0;
        float tx = 0;
        for (int i = 0; i < values.size(); i++) {
            Series d = series.get(values.id(i));
            if (d == null || d.chart() == Series.OTHER) {
                continue;
            }
            float v = (float) values.value(i);
            switch (d.chart()) {
                case Series.CPU -> cpu = v;
                case Series.MEMORY -> memory = v;
                case Series.DISK -> {
                    if (Float.isNaN(disk) || v > disk) {
                        disk = v;
                        mount = d.resource();
                    }
                }
                case Series.RX -> rx += "lo".equals(d.resource()) ? 0 : v;
                case Series.TX -> tx += "lo".equals(d.resource()) ? 0 : v;
                default -> {
                }
            }
        }
        history.record(epochSecond, cpu, memory, disk, rx, tx);
        this.cpu = cpu;
        this.memory = memory;
        this.disk = disk;
        if (!mount.equals(diskMount)) {
            this.diskMount = mount;
        }
    }

    /** Whether the sample being applied (the collectors in {@link #ran} ran) replaces series {@code id}'s value. */
    private boolean replaced(int id) {
        Series d = series.get(id);
        return d == null || d.replacedBy(ran, ranCount);
    }

    /** Applies an inventory (the caller has checked the ledger and settles it afterwards). */
    synchronized void applyInventory(long epoch, Inventory inv, Instant now) {
        seen(now);
        changed();
        if (epoch == bootEpoch && !inv.equals(inventory)) {
            inventory = inv;
            inventoryDirty = true;
            urgent();
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
        return FleetState.online(session != null || remoteNode != null, lastSeen(), now, offlineAfter);
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
        return new Presence(id, nodeId, here, 0, knownSince, lastSeen(), null, site, cpu, memory, disk, diskMount, ledger);
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
        if (p.lastSeen() != null && (lastSeen() == null || p.lastSeen().isAfter(lastSeen()))) {
            seen(p.lastSeen());
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
            urgent();
            presenceUrgent = true; // other nodes list it from its enrollment on too
            changed(); // its silence counts from here while it has never been heard
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
        seen(a.lastSeen());
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
        queued = false;
        if (knownSince == null || !urgent && !(periodic && changed > savedChange)) {
            return null;
        }
        StoredAgent row = new StoredAgent(id, site, helloDirty ? hello : null, inventoryDirty ? inventory : null, knownSince,
                lastSeen(), cpu, memory, disk, diskMount);
        urgent = false;
        helloDirty = false;
        inventoryDirty = false;
        savedChange = changed;
        return row;
    }

    /** The save of {@code row} failed: it is taken again on the next pass. */
    synchronized void saveFailed(StoredAgent row) {
        urgent();
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
                FleetState.online(session != null || remoteNode != null, lastSeen(), now, offlineAfter), lastSeen(), cpu, memory, disk,
                diskMount);
    }

    /** Fills {@code in} with what the console-side rules read (see {@link FleetState#forEachRuleInput}). */
    synchronized void ruleInput(FleetState.RuleInput in, FleetState.RuleVisitor visitor) {
        ruleQueued = false; // read now: a change from here on queues the record again
        boolean remote = remoteNode != null;
        in.facts(id, lastSeen() != null ? lastSeen() : knownSince, session != null, session != null || remote, remote ? 0 : sampleTimeMs);
        if (remote || sampleTimeMs == 0 || values.isEmpty() || !visitor.wantsValues(in)) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            Series d = series.get(values.id(i));
            if (d != null && visitor.watches(d.metric())) {
                in.value(d.metric(), d.resource(), values.value(i));
            }
        }
    }

    /** An immutable copy for readers. */
    synchronized AgentSnapshot snapshot() {
        if (remoteNode != null) {
            return remoteSnapshot();
        }
        List<AgentSnapshot.Value> vs = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Series d = series.get(values.id(i));
            if (d != null) {
                vs.add(new AgentSnapshot.Value(d.metric(), d.resource(), values.value(i)));
            }
        }
        List<AgentSnapshot.Text> ts = new ArrayList<>(texts.size());
        texts.forEach((sid, v) -> {
            Series d = series.get(sid);
            if (d != null) {
                ts.add(new AgentSnapshot.Text(d.metric(), d.resource(), v));
            }
        });
        List<AgentSnapshot.Run> rs = new ArrayList<>(runs.size());
        Hello hello = hello();
        runs.forEach((collector, latest) -> {
            String name = collector < hello.getCollectorsCount() ? hello.getCollectors(collector) : "#" + collector;
            CollectorRun.Outcome outcome = CollectorRun.Outcome.forNumber(latest.outcome);
            rs.add(new AgentSnapshot.Run(name, (outcome == null ? CollectorRun.Outcome.UNRECOGNIZED : outcome).name(),
                    latest.durationMicros, latest.error, Instant.ofEpochMilli(latest.sampleTimeMs)));
        });
        return new AgentSnapshot(id, hello.getHost(), site, hello.getAgentVersion(), session != null, remoteAddress, lastSeen(),
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
        return new AgentSnapshot(id, hello.getHost(), site, hello.getAgentVersion(), true, "", lastSeen(), knownSince,
                hello.getBootEpoch(), 0, null, vs, List.of(), List.of(), inventory, remoteNode);
    }
}
