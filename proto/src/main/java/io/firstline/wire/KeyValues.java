package io.firstline.wire;

import io.firstline.proto.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Java maps and the {@code repeated KeyValue} fields that
 * carry string maps on the wire. Those fields have the bytes of a protobuf
 * {@code map<string, string>}; reading them back follows map semantics: the
 * last entry of a repeated key wins, and order is kept otherwise.
 */
public final class KeyValues {
    private KeyValues() {
    }

    /** The entries of {@code map}, in its iteration order, for an {@code addAll...} builder call. */
    public static List<KeyValue> of(Map<String, String> map) {
        List<KeyValue> out = new ArrayList<>(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.add(entry(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** One entry (a null value is sent as empty text, as a proto3 string cannot be null). */
    public static KeyValue entry(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(value == null ? "" : value).build();
    }

    /** The entries as an unmodifiable map; a repeated key keeps its last value. */
    public static Map<String, String> toMap(List<KeyValue> entries) {
        if (entries.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(map);
    }

    /** The value of {@code key} (its last entry), or {@code fallback} when it is absent. */
    public static String get(List<KeyValue> entries, String key, String fallback) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).getKey().equals(key)) {
                return entries.get(i).getValue();
            }
        }
        return fallback;
    }
}
