package io.firstline.console.fleet;

import java.time.Instant;

/**
 * The few facts of an agent that a fleet overview shows, kept up to date as
 * samples arrive so that listing 10,000 agents copies no value lists. NaN
 * where the last sample had no such value; {@code fullestMount} empty then.
 */
public record AgentSummary(String id, String hostname, String os, String site, boolean online, Instant lastSeen,
                           double cpu, double memory, double fullestDisk, String fullestMount) {
}
