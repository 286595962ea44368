package io.firstline.console.kb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an edit changed, as the JSON object kept in the history: short fields
 * (title, tags, rules, os, status) with their old and new value, long texts
 * (symptoms, cause, fix, user text) with how many lines were added and removed.
 */
final class Changes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Changes() {
    }

    static String created(Article a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", true);
        m.put("status", a.status().label());
        return json(m);
    }

    static String between(Article a, Article b) {
        Map<String, Object> m = new LinkedHashMap<>();
        field(m, "title", a.title(), b.title());
        text(m, "symptoms", a.symptoms(), b.symptoms());
        text(m, "cause", a.cause(), b.cause());
        text(m, "fix", a.fix(), b.fix());
        text(m, "userText", a.userText(), b.userText());
        field(m, "tags", a.tags(), b.tags());
        field(m, "rules", a.rules(), b.rules());
        field(m, "os", a.os(), b.os());
        field(m, "status", a.status().label(), b.status().label());
        return json(m);
    }

    private static void field(Map<String, Object> m, String name, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("from", from);
            d.put("to", to);
            m.put(name, d);
        }
    }

    private static void text(Map<String, Object> m, String name, String from, String to) {
        if (from.equals(to)) {
            return;
        }
        Map<String, Integer> count = new HashMap<>();
        for (String l : lines(from)) {
            count.merge(l, 1, Integer::sum);
        }
        int added = 0;
        for (String l : lines(to)) {
            if (count.getOrDefault(l, 0) > 0) {
                count.merge(l, -1, Integer::sum);
            } else {
                added++;
            }
        }
        int removed = count.values().stream().mapToInt(Integer::intValue).sum();
        m.put(name, Map.of("linesAdded", added, "linesRemoved", removed));
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split("\n", -1));
    }

    private static String json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
