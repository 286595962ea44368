package io.firstline.agent.voice;

import io.firstline.proto.LocalRequest;
import io.firstline.proto.LocalResponse;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One request to the running agent over its local socket, for {@code report} and {@code status}. */
public final class LocalClient {
    private LocalClient() {
    }

    /** The agent could not be reached; the message says why and what to try. */
    public static final class Unreachable extends Exception {
        public Unreachable(String message) {
            super(message);
        }
    }

    /** Sends {@code request} and waits for the answer (the agent bounds how long it takes). */
    public static LocalResponse ask(Path socket, LocalRequest request) throws Unreachable {
        if (!Files.exists(socket)) {
            if (Files.exists(socket.getParent()) && !Files.isExecutable(socket.getParent())) {
                throw new Unreachable("cannot look into " + socket.getParent() + " (permission denied): the directories leading to"
                        + " the agent's socket must be searchable by you (docs/operations.md, \"The local socket\")");
            }
            throw new Unreachable("no agent is listening at " + socket + " (is the agent running? the installed agent listens at "
                    + LocalSocket.INSTALLED + "; for an agent run with --state-dir DIR, pass the same --state-dir)");
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            LocalSocket.write(ch, request);
            return LocalSocket.read(ch, LocalResponse.parser());
        } catch (AccessDeniedException e) {
            throw denied(socket);
        } catch (SocketException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("ermission denied")) {
                throw denied(socket);
            }
            if (m.contains("onnection refused")) {
                throw new Unreachable("no agent is listening at " + socket + " (the socket is left over from an agent that stopped)");
            }
            throw new Unreachable("cannot talk to the agent at " + socket + ": " + m);
        } catch (IOException e) {
            throw new Unreachable("the agent at " + socket + " did not answer: " + e.getMessage());
        }
    }

    private static Unreachable denied(Path socket) {
        return new Unreachable("you may not connect to the agent's socket " + socket + " (permission denied); the administrator"
                + " chooses who may with the agent's --local-socket-mode (docs/operations.md, \"The local socket\")");
    }
}
