package io.firstline.console.web;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Saves a screenshot of the browser to {@code target/screenshots/CLASS-METHOD.png}
 * when a browser test fails, so CI shows what the page looked like.
 */
final class ScreenshotOnFailure implements TestWatcher {
    private final Supplier<Browser> browser;

    ScreenshotOnFailure(Supplier<Browser> browser) {
        this.browser = browser;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Browser b = browser.get();
        if (b == null) {
            return;
        }
        Path file = Path.of("target", "screenshots",
                context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName() + ".png");
        try {
            b.screenshot(file);
            System.err.println("screenshot of the failed browser test: " + file.toAbsolutePath());
        } catch (RuntimeException e) {
            System.err.println("could not save a screenshot: " + e);
        }
    }
}
