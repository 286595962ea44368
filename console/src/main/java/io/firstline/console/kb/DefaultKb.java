package io.firstline.console.kb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The knowledge base shipped in the jar: one YAML file per article under
 * {@value #FOLDER}, listed in {@code index.txt}, written for the default
 * rules (every {@code kb} id a default rule names has its article; a test
 * keeps it so). Loaded into the store on start, adding only articles the
 * store does not have, so people's edits are never overwritten.
 */
public final class DefaultKb {
    static final String FOLDER = "io/firstline/console/kb/default/";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DefaultKb() {
    }

    /** The shipped articles, as edits (they get their id separately). */
    public record Shipped(String id, ArticleEdit edit) {
    }

    public static List<Shipped> articles() {
        List<Shipped> out = new ArrayList<>();
        for (String line : read("index.txt").split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            out.add(parse(name, read(name + ".yaml")));
        }
        return out;
    }

    static Shipped parse(String name, String yaml) {
        JsonNode n;
        try {
            n = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalStateException("shipped article " + name + " is not valid YAML: " + e.getMessage(), e);
        }
        String id = n.path("id").asText("");
        if (!id.equals(name)) {
            throw new IllegalStateException("shipped article " + name + ".yaml has id \"" + id + "\"");
        }
        return new Shipped(id, new ArticleEdit(n.path("title").asText(), n.path("symptoms").asText(),
                n.path("cause").asText(), n.path("fix").asText(), n.path("user_text").asText(), list(n.path("tags")),
                list(n.path("rules")), list(n.path("os")), Article.Status.PUBLISHED));
    }

    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String read(String name) {
        try (InputStream in = DefaultKb.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + FOLDER + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
