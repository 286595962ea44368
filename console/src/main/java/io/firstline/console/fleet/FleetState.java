package io.firstline.console.fleet;

import io.firstline.proto.Hello;
import io.firstline.proto.Inventory;
import io.firstline.proto.Sample;
import io.firstline.proto.SeriesDef;
import io.firstline.proto.SeriesDictionary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of every agent the console knows (enrolled, or heard
 * from): who it is, whether it is online, and its latest values. An agent is
 * online while it is connected and has been heard from within
 * {@code offlineAfter} (three sample intervals by default). What must outlive
 * a restart is saved by {@link FleetPersistence}, never on every sample.
 */
public final class FleetState {
    /** Online or offline, as the fleet view and the metrics show it. */
    public enum Status { ONLINE, OFFLINE }

    private final ConcurrentHashMap<String, AgentRecord> agents = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration offlineAfter;
    private final int historyStepSeconds;
    private final AtomicLong changes = new AtomicLong();
    /** Records with something to save soon (a connect, a disconnect, new facts), each once until {@link #toSave} takes it. */
    private final java.util.concurrent.ConcurrentLinkedQueue<AgentRecord> urgent = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Records changed since the console-side rules last read them, each once until {@link #drainRuleChanges} takes it. */
    private final java.util.concurrent.ConcurrentLinkedQueue<AgentRecord> ruleChanges = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public FleetState(Clock clock, Duration offlineAfter) {
        this(clock, offlineAfter, Duration.ofSeconds(5));
    }

    /**
     * @param historyStep resolution of the one hour of history kept per agent
     *                    for charts (whole seconds, at least one)
     */
    public FleetState(Clock clock, Duration offlineAfter, Duration historyStep) {
        this.clock = clock;
        this.offlineAfter = offlineAfter;
        this.historyStepSeconds = (int) Math.max(1, historyStep.toSeconds());
    }

    /** A handle for one connection of one agent, given out at Hello. */
    public final class Session {
        private final AgentRecord record;
        private long ackedAtHello;

        private Session(AgentRecord record) {
            this.record = record;
        }

        /** Highest sequence of this boot epoch already committed when the agent said Hello. */
        public long ackedAtHello() {
            return ackedAtHello;
        }

        public long bootEpoch() {
            return record.bootEpoch();
        }

        public void define(List<SeriesDef> defs) {
            record.define(defs);
        }

        /**
         * Whether a sequenced message (of any kind) is settled already: then
         * it is a duplicate, to acknowledge again and not apply.
         */
        public boolean settled(long bootEpoch, long sequence) {
            return record.settled(bootEpoch, sequence);
        }

        /**
         * Records a sequenced message of any kind as settled once it is
         * committed or refused for good, so that the watermark moves past it.
         */
        public void settle(long bootEpoch, long sequence) {
            record.settle(bootEpoch, sequence);
        }

        /** Applies a sample of {@code bootEpoch} (an earlier one when replayed from the agent's spool). */
        public void applySample(long bootEpoch, Sample s) {
            record.applySample(bootEpoch, s, clock.instant());
        }

        public void applyInventory(long bootEpoch, Inventory inv) {
            record.applyInventory(bootEpoch, inv, clock.instant());
        }

        /** A sample of the connection's own boot epoch, through the ledger; false if it was a duplicate. */
        public boolean sample(long sequence, Sample s) {
            return sample(record.bootEpoch(), sequence, s);
        }

        /** Ledger check, apply and settle in one step, for callers that commit synchronously (simulations, tests). */
        public boolean sample(long bootEpoch, long sequence, Sample s) {
            if (settled(bootEpoch, sequence)) {
                record.touch(clock.instant());
                return false;
            }
            applySample(bootEpoch, s);
            settle(bootEpoch, sequence);
            return true;
        }

        /** An inventory of the connection's own boot epoch, through the ledger; false if it was a duplicate. */
        public boolean inventory(long sequence, Inventory inv) {
            if (settled(record.bootEpoch(), sequence)) {
                return false;
            }
            applyInventory(record.bootEpoch(), inv);
            settle(record.bootEpoch(), sequence);
            return true;
        }

        /**
         * A series dictionary: definitions for the current epoch, and for any
         * epoch what the agent's spool dropped and still holds.
         *
         * @return newly reported drops
         */
        public long dictionary(SeriesDictionary d) {
            return record.dictionary(d.getBootEpoch(), d.getSeriesList(), d.getDropped(), d.getOldestPending());
        }

        /** Records the site the agent enrolled for, as enrollment knows it. */
        public void site(String site) {
            record.site(site);
        }

        public void heard() {
            record.touch(clock.instant());
        }

        public void closed() {
            record.disconnect(this, clock.instant());
        }
    }

    public Session connect(Hello hello, String remoteAddress) {
        return connect(hello, remoteAddress, Map.of());
    }

    /**
     * A Hello on this node; {@code settled} is the agent's sequence ledger as
     * the shared store holds it (per boot epoch, settled through), so that
     * what another node applied is not applied again.
     */
    public Session connect(Hello hello, String remoteAddress, Map<Long, Long> settled) {
        AgentRecord r = record(hello.getAgentId());
        Session s = new Session(r);
        s.ackedAtHello = r.connect(hello, s, remoteAddress, clock.instant(), settled);
        return s;
    }

    /** The presence rows of this node ({@code nodeId}) to write now; see {@code AgentRecord.presence}. */
    public List<Presence> presenceToWrite(String nodeId) {
        List<Presence> out = new ArrayList<>();
        agents.values().forEach(r -> {
            Presence p = r.presence(nodeId);
            if (p != null) {
                out.add(p);
            }
        });
        return out;
    }

    /** The store holds {@code rows} now. */
    public void presenceWritten(List<Presence> rows) {
        rows.forEach(p -> {
            AgentRecord r = agents.get(p.agentId());
            if (r != null) {
                r.presenceWritten(p);
            }
        });
    }

    /** Writing {@code rows} failed; they are offered again on the next {@link #presenceToWrite}. */
    public void presenceFailed(List<Presence> rows) {
        rows.forEach(p -> {
            AgentRecord r = agents.get(p.agentId());
            if (r != null) {
                r.presenceFailed(p);
            }
        });
    }

    /**
     * Another node's presence row (ignored while the agent is connected
     * here); {@code alive} says whether that node is. A row that starts a
     * connection ({@link #wantsHello}) should carry its Hello.
     */
    public void remote(Presence p, boolean alive) {
        record(p.agentId()).remote(p, alive);
    }

    /** Whether {@code p} starts a connection to another node whose Hello this node has not seen yet. */
    public boolean wantsHello(Presence p) {
        AgentRecord r = agents.get(p.agentId());
        return r == null ? p.connected() : r.wantsHello(p);
    }

    /** The nodes alive now: agents connected to any other node show offline. */
    public void nodesAlive(java.util.Set<String> alive) {
        agents.values().forEach(r -> r.nodesAlive(alive));
    }

    /** Whether the agent is connected to this node. */
    public boolean connectedHere(String id) {
        AgentRecord r = agents.get(id);
        return r != null && r.isConnected();
    }

    private AgentRecord record(String id) {
        return agents.computeIfAbsent(id, x -> new AgentRecord(x, changes, MetricHistory.oneHour(historyStepSeconds), urgent, ruleChanges));
    }

    /** An agent enrolled (at {@code at}, for {@code site}): it is part of the fleet from now on, offline until it connects. */
    public void enrolled(String id, String site, Instant at) {
        record(id).enrolled(site, at);
    }

    /** An agent enrolled just now. */
    public void enrolled(String id, String site) {
        enrolled(id, site, clock.instant());
    }

    /** Adds what a console stored before it restarted ({@link FleetStore}); call before agents connect. */
    public void restore(StoredAgent a) {
        record(a.id()).restore(a);
    }

    /**
     * The agents to save now (see {@code AgentRecord.toSave}): those that
     * connected, disconnected or changed facts, and with {@code periodic}
     * also those that only sent samples.
     */
    public List<StoredAgent> toSave(boolean periodic) {
        List<StoredAgent> out = new ArrayList<>();
        java.util.function.Consumer<AgentRecord> take = r -> {
            StoredAgent a = r.toSave(periodic);
            if (a != null) {
                out.add(a);
            }
        };
        if (periodic) {
            // Every record is looked at: those queued are among them.
            urgent.clear();
            agents.values().forEach(take);
        } else {
            // Only the records that said they have something urgent: a second's pass no longer walks the whole fleet.
            for (AgentRecord r; (r = urgent.poll()) != null; ) {
                take.accept(r);
            }
        }
        return out;
    }

    /** Saving {@code rows} failed; they are offered again on the next {@link #toSave}. */
    public void saveFailed(List<StoredAgent> rows) {
        rows.forEach(a -> {
            AgentRecord r = agents.get(a.id());
            if (r != null) {
                r.saveFailed(a);
            }
        });
    }

    /**
     * What the console-side rules read of one agent (see {@link #forEachRuleInput}): one instance is filled anew for
     * each agent of a visit, so a pass over the fleet allocates nothing per agent. The values are those of the
     * agent's latest sample whose metric the visitor watches, and only when it asked for them.
     */
    public static final class RuleInput {
        private String id;
        private Instant heard;
        private boolean here;
        private boolean connected;
        private long sampleTimeMs;
        private int count;
        private String[] metrics = new String[16];
        private String[] resources = new String[16];
        private double[] values = new double[16];

        void facts(String id, Instant heard, boolean here, boolean connected, long sampleTimeMs) {
            this.id = id;
            this.heard = heard;
            this.here = here;
            this.connected = connected;
            this.sampleTimeMs = sampleTimeMs;
            this.count = 0;
        }

        void value(String metric, String resource, double value) {
            if (count == values.length) {
                metrics = java.util.Arrays.copyOf(metrics, 2 * count);
                resources = java.util.Arrays.copyOf(resources, 2 * count);
                values = java.util.Arrays.copyOf(values, 2 * count);
            }
            metrics[count] = metric;
            resources[count] = resource;
            values[count] = value;
            count++;
        }

        public String id() {
            return id;
        }

        /** When the agent was last heard (here or on another node), or enrolled if never; null if neither is known. */
        public Instant heard() {
            return heard;
        }

        /** Connected to this node. */
        public boolean here() {
            return here;
        }

        /** Connected to this node or, as the shared presence says, to another. */
        public boolean connected() {
            return connected;
        }

        /** The time of the latest sample applied here, in ms since the epoch; 0 if none. */
        public long sampleTimeMs() {
            return sampleTimeMs;
        }

        /** How many values were copied (0 unless the visitor asked). */
        public int values() {
            return count;
        }

        public String metric(int i) {
            return metrics[i];
        }

        public String resource(int i) {
            return resources[i];
        }

        public double value(int i) {
            return values[i];
        }
    }

    /** A pass of the console-side rules over the fleet; see {@link #forEachRuleInput}. */
    public interface RuleVisitor {
        /**
         * Whether to copy the values of the agent's latest sample into {@code facts} (those whose metric
         * {@link #watches}); called with the agent's lock held, so it must be quick and touch nothing else.
         */
        boolean wantsValues(RuleInput facts);

        /** Whether a rule reads {@code metric} (called with the agent's lock held). */
        boolean watches(String metric);

        /** The agent's facts (and values, if asked); called with no lock held. */
        void visit(RuleInput input);
    }

    /**
     * Visits every known agent, in no particular order, with just what the console-side rules read: no snapshot,
     * no sort, no copy of the values unless the visitor asks for a new sample's.
     */
    public void forEachRuleInput(RuleVisitor visitor) {
        RuleInput in = new RuleInput();
        for (AgentRecord r : agents.values()) {
            r.ruleInput(in, visitor);
            visitor.visit(in);
        }
    }

    /**
     * Visits every agent that changed (a sample, a connect or disconnect, a
     * presence seen from another node, an enrollment) since the rules last
     * read it, here or in {@link #forEachRuleInput}; each once, however often
     * it changed. The console-side rules visit the rest of the fleet only
     * when a deadline of their own comes ({@link #ruleInput}).
     */
    public void drainRuleChanges(RuleVisitor visitor) {
        RuleInput in = new RuleInput();
        for (AgentRecord r; (r = ruleChanges.poll()) != null; ) {
            r.ruleInput(in, visitor);
            visitor.visit(in);
        }
    }

    /** Visits one agent as {@link #forEachRuleInput} would, filling {@code in}; false if it is unknown. */
    public boolean ruleInput(String id, RuleInput in, RuleVisitor visitor) {
        AgentRecord r = agents.get(id);
        if (r == null) {
            return false;
        }
        r.ruleInput(in, visitor);
        visitor.visit(in);
        return true;
    }

    public List<AgentSnapshot> list() {
        return agents.values().stream().map(AgentRecord::snapshot)
                .sorted(Comparator.comparing((AgentSnapshot a) -> a.host().getHostname()).thenComparing(AgentSnapshot::id))
                .toList();
    }

    public Optional<AgentSnapshot> get(String id) {
        AgentRecord r = agents.get(id);
        return r == null ? Optional.empty() : Optional.of(r.snapshot());
    }

    /** Overview facts of every agent, in no particular order; cheap enough for 10,000 agents several times a second. */
    public List<AgentSummary> summaries() {
        Instant now = clock.instant();
        List<AgentSummary> out = new ArrayList<>(agents.size());
        agents.values().forEach(r -> out.add(r.summary(now, offlineAfter)));
        return out;
    }

    /** Overview facts of one agent, or empty if unknown. */
    public Optional<AgentSummary> summary(String id) {
        AgentRecord r = agents.get(id);
        return r == null ? Optional.empty() : Optional.of(r.summary(clock.instant(), offlineAfter));
    }

    /** The newest change number; pass it to {@link #changedSince} later. */
    public long changeNumber() {
        return changes.get();
    }

    /** Ids of the agents changed after change number {@code since}. */
    public List<String> changedSince(long since) {
        List<String> ids = new ArrayList<>();
        agents.forEach((id, r) -> {
            if (r.lastChange() > since) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Ids of every agent and whether it is online now, for a sweep that notices agents going silent. */
    public Map<String, Boolean> onlineNow() {
        Instant now = clock.instant();
        Map<String, Boolean> m = new HashMap<>(agents.size() * 2);
        agents.forEach((id, r) -> m.put(id, r.isOnline(now, offlineAfter)));
        return m;
    }

    /** The last hour of charted values of one agent, or empty if unknown. */
    public Optional<HistoryView> history(String id) {
        AgentRecord r = agents.get(id);
        return r == null ? Optional.empty() : Optional.of(r.history(clock.instant().getEpochSecond()));
    }

    public Status status(AgentSnapshot a) {
        return online(a.connected(), a.lastSeen(), clock.instant(), offlineAfter) ? Status.ONLINE : Status.OFFLINE;
    }

    public long count(Status status) {
        Instant now = clock.instant();
        return agents.values().stream().filter(r -> r.isOnline(now, offlineAfter) == (status == Status.ONLINE)).count();
    }

    static boolean online(boolean connected, Instant lastSeen, Instant now, Duration offlineAfter) {
        return connected && lastSeen != null && Duration.between(lastSeen, now).compareTo(offlineAfter) <= 0;
    }

    public long connected() {
        return agents.values().stream().filter(AgentRecord::isConnected).count();
    }

    /** Messages the agent reported its spool dropped (over the boot epochs still tracked); 0 if unknown. */
    public long spoolDropped(String id) {
        AgentRecord r = agents.get(id);
        return r == null ? 0 : r.spoolDropped();
    }

    /** Every sequence of the agent's current boot epoch up to this one is applied (or known lost); 0 if unknown. */
    public long committedThrough(String id) {
        AgentRecord r = agents.get(id);
        return r == null ? 0 : r.committedThrough();
    }

    /**
     * Sequences of the agent's current boot epoch recorded above its
     * watermark: stays small while every sequenced kind is settled; 0 if unknown.
     */
    public int settledAboveWatermark(String id) {
        AgentRecord r = agents.get(id);
        return r == null ? 0 : r.settledAboveWatermark();
    }

    public int size() {
        return agents.size();
    }
}
