package io.firstline.console.web;

import static io.netty.handler.codec.http.HttpResponseStatus.OK;

import io.firstline.console.config.ConfigFileException;
import io.firstline.console.config.WatchedFile;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/config-files}: the reloadable configuration files other
 * than the rules ({@code tickets.yaml}, {@code notifications.yaml}), whether
 * each is present and in force, and when one was rejected, the error with
 * its file, line and option (the last good settings stay in force).
 */
final class ConfigFilesApi implements ApiModule {
    static final String PATH = "/api/config-files";
    private final Supplier<List<WatchedFile.Status>> files;

    ConfigFilesApi(Supplier<List<WatchedFile.Status>> files) {
        this.files = files;
    }

    @Override
    public void register(Router r) {
        r.get(PATH, Router.Access.SIGNED_IN, ex -> ex.respond(list()));
    }

    private FullHttpResponse list() {
        return ApiHandler.json(OK, Json.write(files.get().stream().map(ConfigFilesApi::status).toList()));
    }

    private static Map<String, Object> status(WatchedFile.Status s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("file", s.file().toString());
        m.put("present", s.present());
        m.put("valid", s.valid());
        m.put("checkedAt", s.checkedAt());
        m.put("appliedAt", s.appliedAt());
        if (!s.valid()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("message", s.error());
            ConfigFileException p = s.problem();
            if (p != null) {
                e.put("file", p.file());
                e.put("line", p.line());
                e.put("option", p.option());
                e.put("problem", p.problem());
            }
            m.put("error", e);
        }
        return m;
    }
}
