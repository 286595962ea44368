package io.firstline.agent.encode;

import io.firstline.agent.collect.HostProbe;
import io.firstline.proto.HostFacts;
import oshi.software.os.OperatingSystem;

/** Reads the few facts the Hello carries, so the fleet view can name a host before its first sample. */
public final class HostFactsReader {
    private HostFactsReader() {
    }

    public static HostFacts read(HostProbe probe) {
        OperatingSystem os = probe.os();
        String hostname = os.getNetworkParams().getHostName();
        if (hostname == null || hostname.isBlank()) {
            hostname = "unknown";
        }
        OperatingSystem.OSVersionInfo v = os.getVersionInfo();
        String version = v.getVersion() == null ? "" : v.getVersion();
        if (v.getCodeName() != null && !v.getCodeName().isBlank()) {
            version += " (" + v.getCodeName() + ")";
        }
        return HostFacts.newBuilder()
                .setHostname(hostname)
                .setOsFamily(nullToEmpty(os.getFamily()))
                .setOsVersion(version)
                .setArch(System.getProperty("os.arch", ""))
                .setLogicalCpus(probe.hardware().getProcessor().getLogicalProcessorCount())
                .setMemoryBytes(probe.hardware().getMemory().getTotal())
                .build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
