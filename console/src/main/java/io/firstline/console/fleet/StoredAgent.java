package io.firstline.console.fleet;

import io.firstline.proto.Hello;
import io.firstline.proto.Inventory;
import java.time.Instant;
import java.util.Objects;

/**
 * One agent's durable facts, as {@link FleetStore} keeps them: enough to list
 * it, show its host page and notice its silence after a console restart.
 *
 * @param hello     its last Hello (host facts, agent version, collector names); null when not to be
 *                  written (unchanged since the last save) or never received
 * @param inventory its last inventory; null as for {@code hello}
 * @param lastSeen  null when it never connected
 * @param cpu       NaN where unknown, as are {@code memory} and {@code fullestDisk}
 */
public record StoredAgent(String id, String site, Hello hello, Inventory inventory, Instant knownSince, Instant lastSeen,
                          float cpu, float memory, float fullestDisk, String fullestMount) {
    public StoredAgent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(knownSince, "knownSince");
        Objects.requireNonNull(fullestMount, "fullestMount");
    }

    public String hostname() {
        return hello == null ? "" : hello.getHost().getHostname();
    }
}
