package watchtower.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real headless Chromium for a test class, driven through the Debian chromedriver (never a
 * driver or browser Selenium Manager would download). Waits throw on timeout, so a test that
 * waits for something that never comes fails with what it was waiting for.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Why no browser can run here, if it cannot (the tests then skip with this reason). */
    static Optional<String> missing() {
        if (!Files.isExecutable(CHROMIUM)) return Optional.of(CHROMIUM + " not installed (apt-get install chromium)");
        if (!Files.isExecutable(CHROMEDRIVER)) return Optional.of(CHROMEDRIVER + " not installed (apt-get install chromium-driver)");
        return Optional.empty();
    }

    static Browser start() throws IOException {
        return start(new String[0]);
    }

    /** With extra Chromium flags, e.g. --host-resolver-rules to point a made-up name at loopback. */
    static Browser start(String... extraArguments) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        var profile = Files.createTempDirectory("wt-chromium-");
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,900", "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    WebDriver driver() {
        return driver;
    }

    void get(String url) {
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T waitUntil(String what, Function<WebDriver, T> condition) {
        return waitUntil(what, WAIT, condition);
    }

    <T> T waitUntil(String what, Duration timeout, Function<WebDriver, T> condition) {
        // rows are replaced as live updates arrive: an element gone stale is just "not yet"
        return new WebDriverWait(driver, timeout).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    WebElement waitFor(String css) {
        return waitUntil("an element " + css, d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    void waitGone(String css) {
        waitUntil("no element " + css, d -> d.findElements(By.cssSelector(css)).stream().noneMatch(WebElement::isDisplayed));
    }

    void waitText(String css, String text) {
        waitUntil("\"" + text + "\" in " + css, d -> d.findElements(By.cssSelector(css)).stream()
                .anyMatch(e -> e.getText().contains(text)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement one(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    void grantNotifications(String origin) {
        driver.executeCdpCommand("Browser.grantPermissions", Map.of("permissions", List.of("notifications"), "origin", origin));
    }

    /** The viewport of a phone (390x844 CSS pixels, touch), until {@link #desktop()}. */
    void phone() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    }

    void desktop() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        var tmp = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp profile left behind is harmless; the OS cleans /tmp
        }
    }
}
