package io.firstline.console.kb;

/**
 * How an article was used: {@code used} tickets it was attached to, {@code fixed}
 * tickets resolved with it that stayed resolved through the reopen window, and
 * {@code pending} ones resolved with it whose window is not over yet.
 */
public record Usage(int used, int fixed, int pending) {
    public static final Usage NONE = new Usage(0, 0, 0);
}
