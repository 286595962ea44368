package io.firstline.console.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the JSON detail of a timeline event from key/value pairs. */
final class Details {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Details() {
    }

    static String of(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v instanceof Double d && !Double.isFinite(d)) {
                v = String.valueOf(d);
            }
            if (v != null) {
                m.put(String.valueOf(keyValues[i]), v instanceof java.time.Instant ? v.toString() : v);
            }
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
