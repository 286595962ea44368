package io.firstline.console.kb;

import java.util.List;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders article Markdown (CommonMark) to HTML that is safe to put into a
 * page: raw HTML in the Markdown is escaped and shows as text, and link and
 * image addresses other than http, https and mailto (javascript:, data:,
 * vbscript:) are dropped. The page's CSP forbids inline script besides.
 */
public final class Markdown {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .urlSanitizer(new DefaultUrlSanitizer(List.of("http", "https", "mailto")))
            .build();

    private Markdown() {
    }

    public static String html(String markdown) {
        return RENDERER.render(PARSER.parse(markdown == null ? "" : markdown));
    }
}
