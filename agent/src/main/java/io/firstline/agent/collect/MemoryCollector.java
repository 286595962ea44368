package io.firstline.agent.collect;

import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;

/** Physical memory, swap, and pages swapped in and out per second. */
final class MemoryCollector implements Collector {
    private final GlobalMemory memory;
    private final Rates rates = new Rates();

    MemoryCollector(HostProbe probe) {
        this.memory = probe.hardware().getMemory();
    }

    @Override
    public void collect(MetricWriter out) {
        long total = memory.getTotal();
        long available = memory.getAvailable();
        out.value("memory.total_bytes", total);
        out.value("memory.available_bytes", available);
        out.value("memory.used_bytes", Math.max(0, total - available));
        out.value("memory.used_ratio", total > 0 ? (double) (total - available) / total : Double.NaN);
        VirtualMemory vm = memory.getVirtualMemory();
        out.value("memory.swap_total_bytes", vm.getSwapTotal());
        out.value("memory.swap_used_bytes", vm.getSwapUsed());
        long now = System.nanoTime();
        out.value("memory.swap_in_pages_per_second", rates.perSecond("in", vm.getSwapPagesIn(), now));
        out.value("memory.swap_out_pages_per_second", rates.perSecond("out", vm.getSwapPagesOut(), now));
    }
}
