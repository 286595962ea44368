package io.firstline.console.fleet;

import java.util.TreeSet;

/**
 * Which sequences of one boot epoch of one agent were applied, so that a
 * replayed message is recognised as a duplicate however the agent orders its
 * sends (live data goes out before the backlog). Compact: a watermark below
 * which everything is settled, plus the few sequences applied above it.
 * Every sequenced message kind must be recorded here once settled (the
 * console's {@code SequencedKinds} does that for all of them); a kind left
 * out would keep the watermark from moving and every later sequence of the
 * epoch in {@code above}. Sequences are 1 to 2^63 - 1; the link refuses
 * others before they get here.
 */
final class SequenceLedger {
    private long watermark;
    private final TreeSet<Long> above = new TreeSet<>();

    /** Records {@code seq}; false if it was already applied (a duplicate). */
    boolean add(long seq) {
        if (seq == watermark + 1) {
            // In order, the usual case: no boxed sequence, no tree node (never above: absorb keeps it out).
            watermark = seq;
        } else if (seq <= watermark || !above.add(seq)) {
            return false;
        }
        absorb();
        return true;
    }

    /**
     * The agent holds nothing of this epoch below {@code oldestPending}: what
     * is missing below it was dropped and will never come, so stop waiting.
     */
    void floor(long oldestPending) {
        if (oldestPending - 1 > watermark) {
            watermark = oldestPending - 1;
            above.headSet(watermark, true).clear();
            absorb();
        }
    }

    private void absorb() {
        while (!above.isEmpty() && above.first() == watermark + 1) {
            watermark = above.pollFirst();
        }
    }

    /** Whether {@code seq} was recorded (or lies at or below the watermark). */
    boolean contains(long seq) {
        return seq <= watermark || above.contains(seq);
    }

    /** Every sequence up to this one is applied (or known to be lost). */
    long watermark() {
        return watermark;
    }

    long highest() {
        return above.isEmpty() ? watermark : above.last();
    }

    /** Sequences applied above the watermark, waiting for the gap below them to fill. */
    int waiting() {
        return above.size();
    }
}
