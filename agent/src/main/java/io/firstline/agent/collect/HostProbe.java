package io.firstline.agent.collect;

import java.util.Objects;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * The agent's one handle on OSHI, plus the {@link CollectEnvironment}. OSHI's
 * objects are made once and reused by every collector, so each cycle updates
 * them rather than listing anew.
 */
public final class HostProbe {
    private final HardwareAbstractionLayer hardware;
    private final OperatingSystem os;
    private final CollectEnvironment environment;

    public HostProbe() {
        this(CollectEnvironment.NONE);
    }

    public HostProbe(CollectEnvironment environment) {
        SystemInfo si = new SystemInfo();
        this.hardware = si.getHardware();
        this.os = si.getOperatingSystem();
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    public HardwareAbstractionLayer hardware() {
        return hardware;
    }

    public OperatingSystem os() {
        return os;
    }

    public CollectEnvironment environment() {
        return environment;
    }
}
