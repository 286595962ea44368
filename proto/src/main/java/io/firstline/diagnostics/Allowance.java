package io.firstline.diagnostics;

import io.firstline.proto.DiagnosticCapabilities;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one agent allows, as it reports it ({@link DiagnosticCapabilities}),
 * and the one check both sides make against it: the agent before it runs a
 * request, the console before it sends one (so it refuses what the agent
 * would refuse, with the same words).
 */
public record Allowance(boolean enabled, List<String> actions, List<String> logs, List<String> diskRoots,
                        List<String> captureInterfaces, List<String> unsupported) {
    /** An agent that reported nothing (an old agent, or none connected yet): it allows nothing. */
    public static final Allowance NONE = new Allowance(false, List.of(), List.of(), List.of(), List.of(), List.of());

    public Allowance {
        actions = List.copyOf(actions);
        logs = List.copyOf(logs);
        diskRoots = List.copyOf(diskRoots);
        captureInterfaces = List.copyOf(captureInterfaces);
        unsupported = List.copyOf(unsupported);
    }

    public static Allowance of(DiagnosticCapabilities c) {
        return new Allowance(c.getEnabled(), c.getActionsList(), c.getLogsList(), c.getDiskRootsList(),
                c.getCaptureInterfacesList(), c.getUnsupportedList());
    }

    public DiagnosticCapabilities toProto() {
        return DiagnosticCapabilities.newBuilder().setEnabled(enabled).addAllActions(actions).addAllLogs(logs)
                .addAllDiskRoots(diskRoots).addAllCaptureInterfaces(captureInterfaces).addAllUnsupported(unsupported).build();
    }

    /**
     * Why this agent refuses a valid request, naming the parameter at fault;
     * empty if it allows it.
     */
    public Optional<InvalidParameter> refusal(Action.Valid request) {
        if (!enabled) {
            return Optional.of(new InvalidParameter("action", "diagnostics are off on this agent (diagnostics.enabled = false in its config)"));
        }
        Optional<InvalidParameter> own = refusalOf(request.action(), "action");
        if (own.isPresent()) {
            return own;
        }
        return switch (request.action()) {
            case LOG_TAIL -> {
                String log = request.params().get("log");
                yield logs.contains(log) ? Optional.empty() : Optional.of(new InvalidParameter("log", "log " + Param.quote(log)
                        + " is not on this agent's list (" + (logs.isEmpty() ? "it has none" : String.join(", ", logs)) + ")"));
            }
            case DISK_USAGE -> {
                String path = request.params().get("path");
                yield underRoot(path) ? Optional.empty() : Optional.of(new InvalidParameter("path", "path " + Param.quote(path)
                        + " is not under one of this agent's disk-usage roots (" + String.join(", ", diskRoots) + ")"));
            }
            case PACKET_CAPTURE -> {
                String nic = request.params().get("interface");
                yield captureInterfaces.contains(nic) ? Optional.empty() : Optional.of(new InvalidParameter("interface",
                        "interface " + Param.quote(nic) + " is not on this agent's capture list ("
                                + (captureInterfaces.isEmpty() ? "it has none" : String.join(", ", captureInterfaces)) + ")"));
            }
            case BUNDLE -> {
                if (request.params().getOrDefault("actions", "").isEmpty()) {
                    yield Optional.empty(); // the default bundle: whatever of it this agent allows (bundled(...))
                }
                for (Action a : request.bundled()) {
                    Optional<InvalidParameter> r = refusalOf(a, "actions");
                    if (r.isPresent()) {
                        yield r;
                    }
                }
                yield Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    private Optional<InvalidParameter> refusalOf(Action a, String param) {
        if (!actions.contains(a.wireName())) {
            return Optional.of(new InvalidParameter(param, a.wireName() + " is not allowed by this agent's config (allowed: "
                    + (actions.isEmpty() ? "none" : String.join(", ", actions)) + ")"));
        }
        if (unsupported.contains(a.wireName())) {
            return Optional.of(new InvalidParameter(param, a.wireName() + " is not available on this agent"
                    + (a == Action.PACKET_CAPTURE ? " (no tcpdump)" : "")));
        }
        return Optional.empty();
    }

    /** The actions a bundle runs here: those it names, or the default set less what this agent does not allow. */
    public List<Action> bundled(Action.Valid bundle) {
        if (!bundle.params().getOrDefault("actions", "").isEmpty()) {
            return bundle.bundled();
        }
        return bundle.bundled().stream().filter(a -> refusalOf(a, "actions").isEmpty()).toList();
    }

    /** Whether {@code path} (already normalised, no '..') lies under one of the roots. */
    public boolean underRoot(String path) {
        Path p = Path.of(path).normalize();
        return diskRoots.stream().anyMatch(r -> p.startsWith(Path.of(r).normalize()));
    }
}
