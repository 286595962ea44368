package io.firstline.agent.collect;

import oshi.hardware.CentralProcessor;

/**
 * Total and per-core CPU shares (user, system, iowait, steal, idle), the load
 * averages, and context switches and interrupts per second.
 */
final class CpuCollector implements Collector {
    private final CentralProcessor cpu;
    private long[] prevTicks;
    private long[][] prevCoreTicks;
    private final Rates rates = new Rates();

    CpuCollector(HostProbe probe) {
        this.cpu = probe.hardware().getProcessor();
        this.prevTicks = cpu.getSystemCpuLoadTicks();
        this.prevCoreTicks = cpu.getProcessorCpuLoadTicks();
    }

    @Override
    public void collect(MetricWriter out) {
        long[] ticks = cpu.getSystemCpuLoadTicks();
        long[][] coreTicks = cpu.getProcessorCpuLoadTicks();
        CpuTicks total = CpuTicks.between(prevTicks, ticks);
        out.value("cpu.usage_ratio", total.usage());
        out.value("cpu.user_ratio", total.user());
        out.value("cpu.system_ratio", total.system());
        out.value("cpu.iowait_ratio", total.iowait());
        out.value("cpu.steal_ratio", total.steal());
        out.value("cpu.idle_ratio", total.idle());
        if (coreTicks.length == prevCoreTicks.length) {
            for (int core = 0; core < coreTicks.length; core++) {
                CpuTicks c = CpuTicks.between(prevCoreTicks[core], coreTicks[core]);
                String name = Integer.toString(core);
                out.value("cpu.core_usage_ratio", name, c.usage());
                out.value("cpu.core_user_ratio", name, c.user());
                out.value("cpu.core_system_ratio", name, c.system());
                out.value("cpu.core_iowait_ratio", name, c.iowait());
                out.value("cpu.core_steal_ratio", name, c.steal());
            }
        }
        prevTicks = ticks;
        prevCoreTicks = coreTicks;

        double[] load = cpu.getSystemLoadAverage(3);
        // OSHI gives a negative number where the platform has no load average.
        if (load[0] >= 0) {
            out.value("cpu.load1", load[0]);
            out.value("cpu.load5", load[1]);
            out.value("cpu.load15", load[2]);
        }
        long now = System.nanoTime();
        out.value("cpu.context_switches_per_second", rates.perSecond("ctxt", cpu.getContextSwitches(), now));
        out.value("cpu.interrupts_per_second", rates.perSecond("intr", cpu.getInterrupts(), now));
    }
}
