package dev.sluice.dashboard;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.Dependency;
import dev.sluice.store.NewJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The UI in a real headless Chromium, driven by Selenium through the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver} packages; other paths with {@code -Dsluice.chromium=} and
 * {@code -Dsluice.chromedriver=}). Skipped, with the reason printed, when they are not installed. Screenshots go
 * to {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>";
    private static final Path CHROMIUM = Path.of(System.getProperty("sluice.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("sluice.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static TestConsole console;
    private static ChromeDriverService service;
    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            String reason = "browser tests skipped: no " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER : CHROMIUM)
                    + " (install Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver)";
            System.err.println("[DashboardBrowserTest] " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        Files.createDirectories(SCREENSHOTS);
        console = new TestConsole();
        // The driver binary is given, so Selenium Manager never runs (it would try to download one).
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--no-first-run", "--disable-extensions");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (console != null) {
            console.close();
        }
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void open(String hash) {
        browser.get(console.dashboard.uri() + hash);
    }

    /** Clicks what the selector finds, again when the 2 s redraw replaced it between finding and clicking. */
    private static void click(By selector) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(selector).click();
            return true;
        });
    }

    private static void awaitJobState(String state) {
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#job-state .state"), state));
    }

    @Test
    @Order(1)
    void overviewShowsCountsChartsAndQueues() throws Exception {
        console.parked("echo", "waiting in the parked queue");
        for (int i = 0; i < 10; i++) {
            console.sluice.submit("echo", "done " + i);
        }

        open("");

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#queues tr[data-queue='parked']")));
        assertThat(browser.getTitle()).isEqualTo("Sluice dashboard");
        assertThat(browser.findElements(By.cssSelector(".chart svg"))).hasSize(3);
        assertThat(browser.findElement(By.cssSelector("[data-card='ready'] .value")).getText()).isNotEmpty();
        wait.until(ExpectedConditions.textMatches(By.id("health-badge"), Pattern.compile("UP|DEGRADED|DOWN")));
        // Let the 1 s sampler draw a line through the throughput chart.
        wait.until(d -> !d.findElements(By.cssSelector(".chart polyline")).isEmpty());
        screenshot("overview");
    }

    @Test
    @Order(2)
    void jobPageShowsAHostilePayloadAsTextAndTheCancelButtonCancelsIt() throws Exception {
        JobId id = console.sluice.submit(JobRequest.builder("echo").queue(TestConsole.PARKED).payload(HOSTILE)
                .uniqueKey("<b>key</b>").tenant("\"><svg onload=alert(2)>").build());

        open("#/jobs/READY?queue=parked");
        click(By.cssSelector("a[href='#/job/" + id + "']"));

        wait.until(ExpectedConditions.textToBe(By.id("job-payload"), HOSTILE));
        assertThat(browser.findElements(By.cssSelector("#view img"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#view b"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#view svg[onload]"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector(".fields")).getText())
                .contains("<b>key</b>").contains("\"><svg onload=alert(2)>");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        awaitJobState("READY");
        screenshot("job-hostile-payload");

        click(By.cssSelector("#job-actions button[data-action='cancel']"));

        awaitJobState("CANCELLED");
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        wait.until(ExpectedConditions.textMatches(By.id("notice"), Pattern.compile("Cancel .*done")));
        screenshot("job-cancelled");
    }

    @Test
    @Order(3)
    void aFailedJobIsRetriedFromItsPageAndSucceeds() throws Exception {
        JobId id = console.dead("needs a second go");
        console.failing.set(false);

        open("#/jobs/DEAD");
        click(By.cssSelector("a[href='#/job/" + id + "']"));
        awaitJobState("DEAD");
        assertThat(browser.findElement(By.id("job-error")).getText()).contains("flaky failure for needs a second go");
        screenshot("job-dead");

        click(By.cssSelector("#job-actions button[data-action='retry']"));

        awaitJobState("SUCCEEDED");
        wait.until(ExpectedConditions.textToBe(By.id("job-result"), "recovered needs a second go"));
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        screenshot("job-retried");
    }

    @Test
    @Order(4)
    void jobListReprioritizesAWaitingJob() throws Exception {
        JobId id = console.parked("echo", "raise me");

        open("#/jobs/READY?queue=parked");
        By row = By.cssSelector("tr[data-job='" + id + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        // While the list has focus in its select, the redraw waits, so the choice and the click see one table.
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            new Select(d.findElement(row).findElement(By.cssSelector("select[data-action='priority']")))
                    .selectByValue("CRITICAL");
            d.findElement(row).findElement(By.cssSelector("button[data-action='reprioritize']")).click();
            return true;
        });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> console.sluice.find(id).orElseThrow().priority() == Priority.CRITICAL);
        screenshot("jobs-reprioritized");
    }

    @Test
    @Order(5)
    void jobPageDrawsTheDependencyGraph() throws Exception {
        long now = System.currentTimeMillis();
        JobId extract = JobId.next();
        JobId transform = JobId.next();
        JobId load = JobId.next();
        byte[] payload = "step".getBytes(StandardCharsets.UTF_8);
        console.store.enqueue(List.of(
                new NewJob(extract, "echo", TestConsole.PARKED, Priority.NORMAL, payload, 0, 3, 0, null, null, now),
                new NewJob(transform, "echo", TestConsole.PARKED, Priority.NORMAL, payload, 0, 3, 0, null, null, now,
                        List.of(new Dependency(extract, FailurePolicy.CANCEL_DEPENDENTS))),
                new NewJob(load, "echo", TestConsole.PARKED, Priority.NORMAL, payload, 0, 3, 0, null, null, now,
                        List.of(new Dependency(transform, FailurePolicy.CANCEL_DEPENDENTS)))));

        open("#/job/" + transform);

        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".graph .graph-node"), 3));
        assertThat(browser.findElements(By.cssSelector(".graph .graph-edge"))).hasSize(2);
        assertThat(browser.findElement(By.cssSelector(".graph-node.focus")).getAttribute("data-job"))
                .isEqualTo(transform.toString());
        screenshot("job-graph");

        click(By.cssSelector(".graph-node[data-job='" + load + "']"));
        wait.until(ExpectedConditions.textToBe(By.id("job-id"), load.toString()));
        awaitJobState("WAITING");
    }

    @Test
    @Order(6)
    void batchesAlertsAndNodesPagesRender() throws Exception {
        JobId run = console.sluice.submit("progress", "big-import.csv");

        open("#/batches");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#batches tr[data-job='" + run + "'] progress")));
        screenshot("batches");
        open("#/alerts");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//h1[text()='Alerts']")));
        open("#/nodes");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("nodes"), console.sluice.nodeId()));
        // The engine takes the maintenance lease and heartbeats at start: its row carries the leader badge.
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#nodes tr[data-node='" + console.sluice.nodeId() + "'] .badge.leader")));
        assertThat(browser.findElement(By.id("nodes-leader")).getText()).contains(console.sluice.nodeId());
        screenshot("nodes");
        open("#/recurring");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#recurring tr[data-recurring='nightly-report']"), "Europe/Paris"));
        assertThat(browser.findElement(By.cssSelector("#recurring tr[data-recurring='hourly-sync']")).getText())
                .contains("PT1H");
        screenshot("recurring");
    }

    @Test
    @Order(7)
    void bulkCancelsTwoJobsSelectedInTheListAndShowsEachOutcome() throws Exception {
        JobId first = console.parked("echo", "bulk one");
        JobId second = console.parked("echo", "bulk two");

        open("#/jobs/READY?queue=parked");
        for (JobId id : List.of(first, second)) {
            click(By.cssSelector("tr[data-job='" + id + "'] input[data-select]"));
        }
        wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "2 selected"));
        screenshot("jobs-bulk-selected");

        click(By.cssSelector("#bulk button[data-bulk='cancel']"));

        for (JobId id : List.of(first, second)) {
            By result = By.cssSelector("#bulk-results tr[data-result='" + id + "']");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(result, "DONE"));
            assertThat(browser.findElement(result).getText()).contains("CANCELLED");
            assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        }
        wait.until(ExpectedConditions.textMatches(By.id("notice"), Pattern.compile("Cancel 2 jobs: 2 done")));
        // Cancelled jobs leave the READY list; the outcome stays until dismissed.
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#jobs tr[data-job='" + first + "']"), 0));
        screenshot("jobs-bulk-cancelled");
    }

    @Test
    @Order(8)
    void drainsAQueueFromTheClusterPageAfterConfirming() throws Exception {
        String queue = "nightly-batch";
        console.sluice.pauseQueue(queue);
        List<JobId> jobs = console.sluice.submitAll(List.of(
                JobRequest.builder("echo").queue(queue).payload("a").build(),
                JobRequest.builder("echo").queue(queue).payload("b").build(),
                JobRequest.builder("echo").queue(queue).payload("c").build()));

        open("#/cluster");
        By depth = By.cssSelector("#cluster-queues td[data-depth='" + queue + "']");
        wait.until(ExpectedConditions.textToBe(depth, "3"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("leader-node"), console.sluice.nodeId()));
        click(By.cssSelector("tr[data-queue='" + queue + "'] button[data-action='drain']"));
        // The first click only asks; nothing is cancelled until the second.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-queue='" + queue + "'] .confirm"), "Cancel the 3 jobs of " + queue));
        assertThat(console.sluice.find(jobs.get(0)).orElseThrow().state()).isEqualTo(JobState.READY);
        screenshot("cluster-drain-confirm");

        click(By.cssSelector("tr[data-queue='" + queue + "'] button[data-action='drain-confirm']"));

        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Drain " + queue + ": cancelled 3 jobs"));
        for (JobId id : jobs) {
            assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        }
        wait.until(ExpectedConditions.textToBe(depth, "0"));
        screenshot("cluster-drained");

        click(By.cssSelector("#operations button[data-action='flush']"));
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "Flush: everything pending was written"));
        click(By.cssSelector("#operations button[data-action='purge']"));
        click(By.cssSelector("#operations button[data-action='purge-confirm']"));
        wait.until(ExpectedConditions.textMatches(By.id("notice"), Pattern.compile("Purge: deleted \\d+ jobs")));
        screenshot("cluster-maintenance");
    }

    @Test
    @Order(9)
    void jobPageShowsTheAuditHistory() throws Exception {
        JobId id = console.sluice.submit("echo", "audited in the browser");
        console.awaitState(id, JobState.SUCCEEDED);

        open("#/job/" + id);

        // Audit entries are written in batches shortly after each change; the page redraws until they are there.
        By finished = By.cssSelector("#history tbody tr[data-to='SUCCEEDED']");
        wait.until(ExpectedConditions.presenceOfElementLocated(finished));
        assertThat(browser.findElement(finished).getText()).contains("RUNNING").contains(console.sluice.nodeId());
        assertThat(browser.findElements(By.cssSelector("#history tbody tr[data-to='RUNNING']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#history tbody tr[data-to='READY']"))).hasSize(1);
        screenshot("job-history");
    }

    @Test
    @Order(20)
    void theBrowserReportedNoPolicyViolationsOrScriptErrors() {
        List<String> problems = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            String message = entry.getMessage();
            // A 4xx/5xx answer to a fetch is logged by Chromium too; the tests provoke none, so any counts.
            if (entry.getLevel().intValue() >= Level.WARNING.intValue()
                    || message.contains("Content Security Policy")) {
                problems.add(entry.getLevel() + " " + message);
            }
        }
        assertThat(problems).isEmpty();
    }
}
