package io.firstline.agent.diagnose;

/** The machine cannot run this action (no such program, not Linux): the result says UNSUPPORTED. */
final class Unsupported extends Exception {
    Unsupported(String message) {
        super(message);
    }
}
