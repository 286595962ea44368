package io.firstline.agent.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/** Processes from OSHI, on platforms without a {@code /proc} to read directly; CPU in ms. */
final class OshiProcessTable implements ProcessTable {
    private final OperatingSystem os;
    private final int logicalCpus;
    private final Map<Integer, String> users = new HashMap<>();

    OshiProcessTable(OperatingSystem os, int logicalCpus) {
        this.os = os;
        this.logicalCpus = Math.max(1, logicalCpus);
    }

    @Override
    public List<Proc> list() {
        List<OSProcess> all = os.getProcesses();
        List<Proc> out = new ArrayList<>(all.size());
        users.clear();
        for (OSProcess p : all) {
            users.put(p.getProcessID(), p.getUser());
            out.add(new Proc(p.getProcessID(), p.getName(), p.getState() == OSProcess.State.ZOMBIE,
                    p.getKernelTime() + p.getUserTime(), Math.max(0, p.getThreadCount()), p.getResidentMemory()));
        }
        return out;
    }

    @Override
    public long cpuClock() {
        return System.currentTimeMillis() * logicalCpus;
    }

    @Override
    public String user(int pid) {
        String u = users.get(pid);
        return u == null ? "" : u;
    }
}
