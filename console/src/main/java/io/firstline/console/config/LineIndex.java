package io.firstline.console.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every value in a YAML document, by path ({@code rules[3].for}),
 * so that errors found after parsing can still name their line.
 */
public final class LineIndex {
    private static final YAMLFactory YAML = new YAMLFactory();
    private final Map<String, Integer> lines = new HashMap<>();

    private LineIndex() {
    }

    /** Indexes {@code text}; a document that does not parse gives an empty index (the parser reports it). */
    public static LineIndex of(String text) {
        LineIndex index = new LineIndex();
        try (JsonParser p = YAML.createParser(text)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<Integer> arrayIndex = new ArrayDeque<>();
            String pendingField = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                switch (t) {
                    case FIELD_NAME -> {
                        pendingField = p.currentName();
                        index.lines.put(join(path, pendingField), line);
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String here = element(path, arrayIndex, pendingField);
                        index.lines.putIfAbsent(here, line);
                        path.addLast(here);
                        arrayIndex.addLast(t == JsonToken.START_ARRAY ? 0 : -1);
                        pendingField = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        path.removeLast();
                        arrayIndex.removeLast();
                        pendingField = null;
                    }
                    default -> {
                        index.lines.putIfAbsent(element(path, arrayIndex, pendingField), line);
                        pendingField = null;
                    }
                }
            }
        } catch (IOException e) {
            // Reported with its location by the tree parser.
        }
        return index;
    }

    /** The path of the value about to start, advancing the array index when inside an array. */
    private static String element(Deque<String> path, Deque<Integer> arrayIndex, String field) {
        if (field != null) {
            return join(path, field);
        }
        if (!arrayIndex.isEmpty() && arrayIndex.peekLast() >= 0) {
            int i = arrayIndex.removeLast();
            arrayIndex.addLast(i + 1);
            return (path.isEmpty() ? "" : path.peekLast()) + "[" + i + "]";
        }
        return path.isEmpty() ? "" : path.peekLast();
    }

    private static String join(Deque<String> path, String field) {
        String parent = path.isEmpty() ? "" : path.peekLast();
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /** The line of {@code path}, or of its nearest indexed parent, or 0. */
    public int line(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return 0;
            }
            p = p.substring(0, cut);
        }
    }
}
