package io.firstline.console.web;

import io.firstline.console.TestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its own chromedriver, for the web
 * console's browser tests. Selenium Manager is kept offline: it never
 * downloads a browser or driver. Skips (or fails under
 * FIRSTLINE_REQUIRE_TOOLS) when chromium or chromium-driver is missing.
 */
final class Browser implements AutoCloseable {
    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start(int width, int height) {
        Path chromium = TestSupport.requireTool("chromium", "chromium");
        Path chromedriver = TestSupport.requireTool("chromedriver", "chromium-driver");
        System.setProperty("SE_OFFLINE", "true");
        try {
            Path profile = Files.createTempDirectory("firstline-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
            // Keep the browser console, so tests can check that the CSP blocked nothing.
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits up to {@code seconds} for {@code condition} to be true (or non-null). */
    <T> T await(int seconds, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** As {@link #await(int, ExpectedCondition)}, and a timeout says what the page showed instead. */
    <T> T await(int seconds, ExpectedCondition<T> condition, java.util.function.Supplier<String> whatWasSeen) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class).withMessage(whatWasSeen).until(condition);
    }

    /** Clicks the element with this id, retrying while the page redraws it. */
    void click(String id) {
        await(10, d -> {
            d.findElement(By.id(id)).click();
            return true;
        });
    }

    void signIn(String base, String user, String password) {
        signIn(base, user, password, "/fleet");
    }

    /** Signs in and waits until the console has sent the browser to {@code landing}. */
    void signIn(String base, String user, String password, String landing) {
        driver.manage().deleteAllCookies();
        driver.get(base + "/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("submit")).click();
        await(30, d -> d.getCurrentUrl().endsWith(landing) ? true : null);
    }

    /** Console messages since the last call that report a Content-Security-Policy violation. */
    java.util.List<String> cspViolations() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
    }

    /** Saves a PNG of the page to {@code file} (creating its folder). */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A left-over temp profile is harmless.
        }
    }
}
