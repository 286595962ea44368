package io.firstline.agent.events;

import java.util.Map;
import java.util.Objects;

/**
 * A typed event the kernel told us about: an OOM kill of process {@code java},
 * I/O errors on device {@code sda}. Rules match {@code type}, {@code resource}
 * and the named {@code fields} (docs/events.md lists the types).
 *
 * @param resource what the event is about (process name, device, interface); "" for the host
 * @param fields   the named parts of the line (pid, cgroup, sector, ...) and the line itself as {@code line}
 */
public record KernelEvent(String type, String resource, Map<String, String> fields) {
    public KernelEvent {
        Objects.requireNonNull(type, "type");
        resource = resource == null ? "" : resource;
        fields = Map.copyOf(fields);
    }
}
