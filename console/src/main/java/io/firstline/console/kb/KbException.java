package io.firstline.console.kb;

/** A knowledge-base request that cannot be done: no such article, or a conflicting edit. */
public final class KbException extends RuntimeException {
    public enum Kind { NOT_FOUND, CONFLICT }

    private final Kind kind;

    KbException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static KbException notFound(String id) {
        return new KbException(Kind.NOT_FOUND, "no article \"" + id + "\"");
    }
}
