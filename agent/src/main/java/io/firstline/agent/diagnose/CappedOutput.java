package io.firstline.agent.diagnose;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an action writes: bytes up to a cap, the rest counted but dropped and
 * the output marked truncated, plus a few key figures ({@link #summary}) and
 * a one-line message.
 */
final class CappedOutput extends OutputStream {
    private final int cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Map<String, String> summary = new LinkedHashMap<>();
    private long produced;
    private boolean truncated;
    private String message = "";
    private String contentType = "text/plain; charset=utf-8";

    CappedOutput(int cap) {
        this.cap = cap;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        produced += len;
        int room = cap - bytes.size();
        if (len > room) {
            truncated = true;
        }
        bytes.write(b, off, Math.max(0, Math.min(room, len)));
    }

    /** Writes a line of text (UTF-8, newline added). */
    CappedOutput line(String text) {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
        return this;
    }

    CappedOutput line(String format, Object... args) {
        return line(String.format(java.util.Locale.ROOT, format, args));
    }

    boolean full() {
        return bytes.size() >= cap;
    }

    void summary(String key, Object value) {
        summary.put(key, String.valueOf(value));
    }

    void message(String m) {
        message = m;
    }

    void contentType(String type) {
        contentType = type;
    }

    /** Marks the output cut by a bound other than the byte cap (entries, lines). */
    void truncated() {
        truncated = true;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    boolean isTruncated() {
        return truncated;
    }

    long produced() {
        return produced;
    }

    Map<String, String> summary() {
        return summary;
    }

    String message() {
        return message;
    }

    String contentType() {
        return contentType;
    }

    int cap() {
        return cap;
    }
}
