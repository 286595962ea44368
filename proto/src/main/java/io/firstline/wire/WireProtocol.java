package io.firstline.wire;

/**
 * Constants of the agent link that both sides must agree on: the protocol
 * versions this build speaks, the default frame cap and the default port.
 */
public final class WireProtocol {
    /** Highest protocol version this build speaks. */
    public static final int VERSION = 1;
    /** Lowest protocol version this build still accepts. */
    public static final int MIN_VERSION = 1;
    /** Default cap on one frame's payload (the Envelope), in bytes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
    /** Default TCP port of the agent link on the console. */
    public static final int DEFAULT_AGENT_PORT = 7443;

    private WireProtocol() {
    }

    /**
     * The version two peers use: the highest both speak, or -1 when their
     * ranges do not overlap.
     */
    public static int negotiate(int peerMin, int peerMax) {
        int chosen = Math.min(peerMax, VERSION);
        return chosen >= Math.max(peerMin, MIN_VERSION) ? chosen : -1;
    }
}
