package io.firstline.console.ingest;

import java.util.Objects;

/**
 * Where the agent link hands what agents send to the rest of the console:
 * fault events and rule sets, the user's voice, diagnostics, and the
 * handover of connections between console nodes. Each is
 * {@code NONE} unless set, so a server or a test names only the ports it uses.
 */
public record IngestPorts(FaultPort faults, VoicePort voice, DiagnosticsPort diagnostics, Handover handover) {
    public static final IngestPorts NONE = new IngestPorts(FaultPort.NONE, VoicePort.NONE, DiagnosticsPort.NONE, Handover.NONE);

    public IngestPorts(FaultPort faults, VoicePort voice, DiagnosticsPort diagnostics) {
        this(faults, voice, diagnostics, Handover.NONE);
    }

    public IngestPorts {
        Objects.requireNonNull(faults);
        Objects.requireNonNull(voice);
        Objects.requireNonNull(diagnostics);
        Objects.requireNonNull(handover);
    }

    public IngestPorts withFaults(FaultPort port) {
        return new IngestPorts(port, voice, diagnostics, handover);
    }

    public IngestPorts withVoice(VoicePort port) {
        return new IngestPorts(faults, port, diagnostics, handover);
    }

    public IngestPorts withDiagnostics(DiagnosticsPort port) {
        return new IngestPorts(faults, voice, port, handover);
    }

    public IngestPorts withHandover(Handover port) {
        return new IngestPorts(faults, voice, diagnostics, port);
    }
}
