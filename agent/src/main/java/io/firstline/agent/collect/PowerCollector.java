package io.firstline.agent.collect;

import java.util.List;
import oshi.hardware.PowerSource;

/**
 * Batteries: whether one is present, and for each its charge, whether it is
 * charging, the time left and its wear (full capacity against design
 * capacity). A machine without a battery reports {@code power.batteries 0}.
 * The power source list is read once and updated in place.
 */
final class PowerCollector implements Collector {
    private final HostProbe probe;
    private List<PowerSource> sources;

    PowerCollector(HostProbe probe) {
        this.probe = probe;
    }

    @Override
    public void collect(MetricWriter out) {
        if (sources == null) {
            sources = probe.hardware().getPowerSources();
        } else {
            sources.forEach(PowerSource::updateAttributes);
        }
        out.value("power.batteries", sources.size());
        for (PowerSource p : sources) {
            String name = p.getName();
            out.value("power.charge_ratio", name, clamp(p.getRemainingCapacityPercent()));
            out.value("power.charging", name, p.isCharging() ? 1 : 0);
            out.value("power.on_line", name, p.isPowerOnLine() ? 1 : 0);
            // OSHI: -1 for "calculating", -2 for "unlimited" (on line power).
            double remaining = p.getTimeRemainingEstimated();
            if (remaining >= 0) {
                out.value("power.time_remaining_seconds", name, remaining);
            }
            out.value("power.wear_ratio", name, wear(p.getMaxCapacity(), p.getDesignCapacity()));
        }
    }

    /** Share of the design capacity lost; NaN when either is unknown. */
    static double wear(int max, int design) {
        return max > 0 && design > 0 ? Math.max(0, 1 - (double) max / design) : Double.NaN;
    }

    private static double clamp(double ratio) {
        return ratio >= 0 && ratio <= 1 ? ratio : Double.NaN;
    }
}
