package io.firstline.agent.collect;

import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * The agent's one handle on OSHI. OSHI's objects are made once and reused by
 * every collector, so each cycle updates them rather than listing anew.
 */
public final class HostProbe {
    private final HardwareAbstractionLayer hardware;
    private final OperatingSystem os;

    public HostProbe() {
        SystemInfo si = new SystemInfo();
        this.hardware = si.getHardware();
        this.os = si.getOperatingSystem();
    }

    public HardwareAbstractionLayer hardware() {
        return hardware;
    }

    public OperatingSystem os() {
        return os;
    }
}
