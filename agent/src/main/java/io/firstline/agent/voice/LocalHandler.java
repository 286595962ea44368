package io.firstline.agent.voice;

import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;

/** What the local server asks for each well-formed request. */
public interface LocalHandler {
    /** Answers {@code request} from {@code peer}; may take a second or two (a fresh snapshot). */
    LocalResponse handle(Peer peer, LocalRequest request);
}
