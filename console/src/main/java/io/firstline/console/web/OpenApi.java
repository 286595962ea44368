package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP API's contract: {@code GET /api/openapi.json} serves the OpenAPI
 * 3.1 description kept in {@value #RESOURCE} (YAML in the source, so that it
 * reads and merges well; JSON on the wire), open to anyone, and
 * {@code GET /api} lists the {@code /api} routes this console answers,
 * straight from the route table.
 */
final class OpenApi implements ApiModule {
    static final String RESOURCE = "openapi.yaml";
    static final String PATH = "/api/openapi.json";

    private final String json;

    OpenApi() {
        this.json = Json.write(load());
    }

    /** The description as a JSON tree (the test validates responses against it). */
    static JsonNode load() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the console jar");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public void register(Router r) {
        r.get(PATH, Router.Access.ANYONE, ex -> ex.respond(ApiHandler.json(OK, json)));
        r.get("/api", Router.Access.SIGNED_IN, ex -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("openapi", PATH);
            m.put("endpoints", r.routes().stream().filter(x -> x.pattern().startsWith("/api"))
                    .map(x -> x.method().name() + " " + x.pattern()).toList());
            ex.respond(ApiHandler.json(OK, Json.write(m)));
        });
    }
}
