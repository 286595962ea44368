package io.firstline.console.kb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkdownTest {
    @Test
    void rawHtmlIsTextAndUnsafeLinksAreDropped() {
        String html = Markdown.html("""
                # Fix <script>alert(1)</script>

                <img src=x onerror="alert(2)">

                [click](javascript:alert(3)) [data](data:text/html,<script>alert(4)</script>) [ok](https://example.org/a)
                ![img](javascript:alert(5))

                <a href="javascript:alert(6)">raw link</a>
                """);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<img src=\"x\""), html);
        assertFalse(html.contains("<img src=x"), html);
        assertFalse(html.contains("href=\"javascript:"), html);
        assertFalse(html.contains("src=\"javascript:"), html);
        assertFalse(html.contains("href=\"data:"), html);
        assertFalse(html.contains("<a href=\"javascript"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"), html);
        assertTrue(html.contains("href=\"https://example.org/a\">ok</a>"), html);
        assertTrue(html.contains("<h1>"), html);
    }

    @Test
    void codeBlocksAndListsRender() {
        String html = Markdown.html("1. run\n\n```sh\ndf -h <dir>\n```\n");
        assertTrue(html.contains("<ol>") && html.contains("<pre><code class=\"language-sh\">df -h &lt;dir&gt;"), html);
    }
}
