package io.firstline.agent.collect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import oshi.hardware.CentralProcessor;
import oshi.hardware.ComputerSystem;
import oshi.hardware.GraphicsCard;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.PhysicalMemory;
import oshi.software.os.ApplicationInfo;
import oshi.software.os.OperatingSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the machine is, as a support engineer asks first: system, baseboard,
 * firmware, CPU, memory modules, disks, NICs, GPUs, OS, network identity,
 * installed applications, and this agent and its JVM. Read on connect and
 * checked hourly; each part that cannot be read is left out (and logged at
 * debug), never fatal.
 */
public final class InventoryReader {
    private static final Logger log = LoggerFactory.getLogger(InventoryReader.class);
    /** Keeps even a workstation with every SDK installed well inside one frame. */
    static final int MAX_APPLICATIONS = 3000;
    /** On Linux the packages come from {@link InstalledApps} (not kept afterwards); elsewhere from OSHI. */
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    /** One thing the machine has: kind ("disk"), name within the kind ("sda"), and its attributes. */
    public record Item(String kind, String name, Map<String, String> attributes) {
        public Item {
            attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        }
    }

    private final HostProbe probe;
    private final String agentVersion;

    public InventoryReader(HostProbe probe, String agentVersion) {
        this.probe = probe;
        this.agentVersion = agentVersion;
    }

    /** Every item, in a stable order (kind, then name), so equal machines give equal lists. */
    public List<Item> read() {
        List<Item> items = new ArrayList<>();
        HardwareAbstractionLayer hw = probe.hardware();
        OperatingSystem os = probe.os();
        part("system", items, () -> system(hw.getComputerSystem()));
        part("cpu", items, () -> List.of(cpu(hw.getProcessor())));
        part("memory", items, () -> memory(hw.getMemory().getPhysicalMemory()));
        part("disk", items, () -> disks(hw.getDiskStores()));
        part("nic", items, () -> nics(hw.getNetworkIFs(false)));
        part("gpu", items, () -> gpus(hw.getGraphicsCards()));
        part("os", items, () -> List.of(os(os)));
        part("app", items, () -> LINUX ? linuxApps() : apps(os.getInstalledApplications()));
        items.add(item("agent", "firstline-agent", "version", agentVersion,
                "jvm", System.getProperty("java.vm.name", "") + " " + System.getProperty("java.runtime.version", ""),
                "jvm_vendor", System.getProperty("java.vm.vendor", "")));
        items.sort(Comparator.comparing(Item::kind).thenComparing(Item::name));
        return items;
    }

    private static void part(String what, List<Item> into, Supplier<List<Item>> reader) {
        try {
            into.addAll(reader.get());
        } catch (RuntimeException | LinkageError e) {
            log.debug("inventory: cannot read {}: {}", what, e.toString());
        }
    }

    static List<Item> system(ComputerSystem cs) {
        return List.of(
                item("system", "system", "vendor", cs.getManufacturer(), "model", cs.getModel(), "serial", cs.getSerialNumber(),
                        "uuid", cs.getHardwareUUID()),
                item("baseboard", "baseboard", "vendor", cs.getBaseboard().getManufacturer(), "model", cs.getBaseboard().getModel(),
                        "version", cs.getBaseboard().getVersion(), "serial", cs.getBaseboard().getSerialNumber()),
                item("firmware", "firmware", "vendor", cs.getFirmware().getManufacturer(), "name", cs.getFirmware().getName(),
                        "version", cs.getFirmware().getVersion(), "release_date", cs.getFirmware().getReleaseDate()));
    }

    static Item cpu(CentralProcessor cpu) {
        CentralProcessor.ProcessorIdentifier id = cpu.getProcessorIdentifier();
        return item("cpu", "cpu", "model", id.getName(), "vendor", id.getVendor(), "microarchitecture", id.getMicroarchitecture(),
                "sockets", Integer.toString(cpu.getPhysicalPackageCount()),
                "cores", Integer.toString(cpu.getPhysicalProcessorCount()),
                "threads", Integer.toString(cpu.getLogicalProcessorCount()),
                "max_hz", Long.toString(cpu.getMaxFreq()));
    }

    static List<Item> memory(List<PhysicalMemory> modules) {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            PhysicalMemory m = modules.get(i);
            out.add(item("memory_module", i + " " + m.getBankLabel(), "capacity_bytes", Long.toString(m.getCapacity()),
                    "type", m.getMemoryType(), "clock_hz", Long.toString(m.getClockSpeed()), "vendor", m.getManufacturer(),
                    "part_number", m.getPartNumber(), "serial", m.getSerialNumber()));
        }
        return out;
    }

    static List<Item> disks(List<HWDiskStore> disks) {
        return disks.stream().filter(d -> !DiskCollector.isPseudo(d.getName()))
                .map(d -> item("disk", DiskCollector.shortName(d.getName()), "model", d.getModel(), "serial", d.getSerial(),
                        "size_bytes", Long.toString(d.getSize())))
                .toList();
    }

    static List<Item> nics(List<NetworkIF> nics) {
        return nics.stream().filter(n -> !"lo".equals(n.getName()))
                .map(n -> item("nic", n.getName(), "mac", n.getMacaddr(), "display_name", n.getDisplayName(),
                        "mtu", Long.toString(n.getMTU()), "speed_bps", Long.toString(n.getSpeed())))
                .toList();
    }

    static List<Item> gpus(List<GraphicsCard> cards) {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < cards.size(); i++) {
            GraphicsCard g = cards.get(i);
            out.add(item("gpu", i + " " + g.getName(), "vendor", g.getVendor(), "device_id", g.getDeviceId(),
                    "version", g.getVersionInfo(), "vram_bytes", Long.toString(g.getVRam())));
        }
        return out;
    }

    static Item os(OperatingSystem os) {
        OperatingSystem.OSVersionInfo v = os.getVersionInfo();
        return item("os", "os", "family", os.getFamily(), "manufacturer", os.getManufacturer(), "version", v.getVersion(),
                "codename", v.getCodeName(), "build", v.getBuildNumber(), "kernel", System.getProperty("os.version", ""),
                "arch", System.getProperty("os.arch", ""), "bitness", Integer.toString(os.getBitness()),
                "hostname", os.getNetworkParams().getHostName(), "domain", HostDomain.get());
    }

    private static List<Item> linuxApps() {
        try {
            return appItems(InstalledApps.read());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The packages as items, by name, at most {@link #MAX_APPLICATIONS}; blank names left out. */
    static List<Item> appItems(List<InstalledApps.App> apps) {
        return apps.stream().filter(a -> a.name() != null && !a.name().isBlank())
                .sorted(Comparator.comparing(InstalledApps.App::name))
                .limit(MAX_APPLICATIONS)
                .map(a -> item("app", a.name(), "version", a.version(), "vendor", a.vendor()))
                .toList();
    }

    static List<Item> apps(List<ApplicationInfo> apps) {
        return apps.stream().filter(a -> a.getName() != null && !a.getName().isBlank())
                .sorted(Comparator.comparing(ApplicationInfo::getName))
                .limit(MAX_APPLICATIONS)
                .map(a -> item("app", a.getName(), "version", a.getVersion(), "vendor", a.getVendor()))
                .toList();
    }

    /** An item from name/value pairs; null, blank and OSHI's "unknown" values are left out. */
    static Item item(String kind, String name, String... pairs) {
        Map<String, String> attrs = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            String v = pairs[i + 1];
            if (v != null && !v.isBlank() && !v.equalsIgnoreCase("unknown")) {
                attrs.put(pairs[i], v.strip());
            }
        }
        return new Item(kind, name == null || name.isBlank() ? kind : name.strip(), attrs);
    }
}
