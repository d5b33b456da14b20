package p2pool4j.web;

import static p2pool4j.testutil.Wait.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import p2pool4j.app.Cli;
import p2pool4j.app.ConfigBuilder;
import p2pool4j.app.Main;
import p2pool4j.app.NodeRuntime;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.testminer.TestMiner;
import p2pool4j.testutil.BcoinNode;

/**
 * The web side of a real node: bcoin regtest, the packaged runtime, the built-in test miner.
 * The API must count exactly what the miner was told, and the pages, opened in headless
 * Chromium, must show the same figures and draw their charts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {
    private static final String OWNER = Address.p2pkh(Hashes.hash160("web rig owner".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text();
    private static final String WORKER = OWNER + ".webrig";
    private static BcoinNode bcoin;
    private static NodeRuntime node;
    private static int workerPort;
    private static int webPort;
    private static int p2poolPort;
    private static long minerAccepted;
    private static long minerRejected;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        bcoin = BcoinNode.start();
        bcoin.generate(432);
        Path dir = Files.createTempDirectory("p2pool4j-web");
        workerPort = BcoinNode.freePort();
        webPort = BcoinNode.freePort();
        String nodeAddress = Address.p2pkh(Hashes.hash160("operator".getBytes(StandardCharsets.UTF_8)), ChainParams.REGTEST).text();
        String[] args = {"--net", "regtest", "-a", nodeAddress, "--bitcoind-rpc-port", String.valueOf(bcoin.rpcPort()),
            "--bitcoind-p2p-port", String.valueOf(bcoin.p2pPort()), "--bitcoind-rpc-user", "x", "--bitcoind-rpc-password", BcoinNode.API_KEY,
            "--datadir", dir.toString(), "-w", String.valueOf(workerPort), "--p2pool-port", String.valueOf(p2poolPort = BcoinNode.freePort()),
            "--web-port", String.valueOf(webPort), "--web-bind", "127.0.0.1", "--outgoing-conns", "0", "--metrics-per-worker"};
        ConfigBuilder.Result r = ConfigBuilder.build(Cli.parse(Cli.commandLine(), args).values(), Map.of(), Main::readIfExists, dir);
        assertTrue(r.ok(), String.valueOf(r.errors()));
        node = new NodeRuntime(r.config());
        node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.stopAndWait(10_000);
        }
        if (bcoin != null) {
            bcoin.close();
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    @Order(1)
    void theApiCountsWhatTheMinerWasTold() throws Exception {
        try (TestMiner miner = TestMiner.stratum("127.0.0.1", workerPort, WORKER, 1, true)) {
            waitFor("accepted pseudo-shares", 90, () -> miner.accepted() >= 30);
            assertTrue(miner.drain(15_000), "every submission answered");
            minerAccepted = miner.accepted();
            minerRejected = miner.rejected();
        }
        JsonObject w = new JsonObject(get("/api/v1/workers/" + enc(WORKER)));
        assertEquals(minerAccepted, w.getLong("accepted"));
        assertEquals(minerRejected, w.getLong("rejected") + w.getLong("stale"));
        assertEquals(OWNER, w.getString("address"));
        assertTrue(w.getString("user_agent").startsWith("p2pool4j-testminer"), w.getString("user_agent"));
        // The stored view catches up within a flush or two.
        waitFor("the stored day to match", 10, () -> new JsonObject(get("/api/v1/workers/" + enc(WORKER)))
                .getJsonObject("last_24h").getLong("accepted") == minerAccepted);
        long inHistory = 0;
        for (Object o : new JsonObject(get("/api/v1/workers/" + enc(WORKER) + "/history?range=1h")).getJsonArray("points")) {
            inHistory += ((JsonObject) o).getLong("accepted");
        }
        assertEquals(minerAccepted, inHistory);
        // The reference's endpoints and /metrics see the same worker.
        assertTrue(new JsonObject(get("/local_stats")).getJsonObject("miner_hash_rates").containsKey(WORKER));
        String metrics = get("/metrics");
        assertTrue(metrics.contains("p2pool_worker_submits_total{result=\"accepted\",worker=\"" + WORKER + "\"} " + minerAccepted + ".0"),
                "per-worker counter equals the miner's count");
        double timed = metrics.lines().filter(l -> l.startsWith("p2pool_stratum_submit_seconds_count ")).mapToDouble(l -> Double.parseDouble(
                l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
        assertTrue(timed >= minerAccepted, "every Stratum submit is timed on the node: " + timed + " for " + minerAccepted + " accepted");
        // Scanners read the reference's endpoints on the worker port: relayed to the web server.
        HttpResponse<String> relayed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workerPort + "/local_stats"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, relayed.statusCode());
        assertTrue(new JsonObject(relayed.body()).getJsonObject("miner_hash_rates").containsKey(WORKER));
        assertEquals("application/json", relayed.headers().firstValue("Content-Type").orElse(""));
        JsonObject status = new JsonObject(get("/api/v1/status"));
        assertTrue(status.getJsonObject("sharechain").getInteger("height") > 0, "the miner built a sharechain");
        assertTrue(status.getJsonArray("payouts").stream().anyMatch(p -> ((JsonObject) p).getString("address").equals(OWNER)),
                "the rig owner is in the payouts of the next block");
        assertTrue(new JsonArray(get("/api/v1/workers")).size() >= 1);
        // Where the worker's shares ended up, as the node judges them every 10 s.
        waitFor("the worker's shares judged", 30, () -> new JsonObject(get("/api/v1/workers/" + enc(WORKER)))
                .getJsonObject("sharechain_shares").getLong("in_chain") > 0);
    }

    @Test
    @Order(2)
    void dashboardAndWorkerPageInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path driverBinary = Path.of("/usr/bin/chromedriver");
        assertTrue(Files.isExecutable(chromium) && Files.isExecutable(driverBinary),
                "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does it)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        Path profile = Files.createTempDirectory("p2pool4j-chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,800",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary.toFile()).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get("http://127.0.0.1:" + webPort + "/");
            wait.until(d -> !d.findElement(By.id("chain-height")).getText().equals("–"));
            wait.until(d -> chartDrawn(d));
            JsonObject status = new JsonObject(get("/api/v1/status"));
            assertEquals("connected (RPC + P2P)", browser.findElement(By.id("bitcoind-state")).getText());
            assertTrue(!browser.findElements(By.cssSelector("#payouts tbody tr")).isEmpty(), "payouts table filled");
            assertEquals(String.valueOf(status.getJsonObject("bitcoind").getLong("height")), browser.findElement(By.id("bitcoind-height")).getText());
            Files.write(shots.resolve("dashboard.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            assertTrue(browser.findElement(By.cssSelector("#payouts tbody")).getText().contains("(donation to the P2Pool author"),
                    "the donation row is labelled");
            assertFitsTheWindow(browser, "dashboard");

            browser.get("http://127.0.0.1:" + webPort + "/workers.html");
            wait.until(d -> !d.findElements(By.linkText(WORKER)).isEmpty());
            assertFitsTheWindow(browser, "workers");
            Files.write(shots.resolve("workers.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            browser.get("http://127.0.0.1:" + webPort + "/peers.html");
            wait.until(d -> !d.findElement(By.cssSelector("#peers tbody")).getText().isEmpty());
            assertEquals("no peers connected", browser.findElement(By.cssSelector("#peers tbody")).getText(), "an empty table says so");

            browser.get("http://127.0.0.1:" + webPort + "/blocks.html");
            wait.until(d -> !d.findElement(By.id("block-summary")).getText().isEmpty());
            for (WebElement row : browser.findElements(By.cssSelector("#found-blocks tbody tr"))) {
                assertTrue(!row.getText().contains("not submitted"), "never-submitted solutions are counted, not listed: " + row.getText());
            }
            Files.write(shots.resolve("blocks.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            browser.get("http://127.0.0.1:" + webPort + "/workers.html");
            wait.until(d -> !d.findElements(By.linkText(WORKER)).isEmpty());
            browser.findElement(By.linkText(WORKER)).click();

            wait.until(d -> d.findElement(By.id("worker-name")).getText().equals(WORKER));
            wait.until(d -> !d.findElement(By.id("counter-accepted")).getText().equals("–"));
            wait.until(d -> chartDrawn(d));
            wait.until(d -> !d.findElement(By.id("worker-payout")).getText().equals("–"));
            JsonObject api = new JsonObject(get("/api/v1/workers/" + enc(WORKER)));
            assertEquals(String.format(java.util.Locale.US, "%,d", api.getLong("accepted")), browser.findElement(By.id("counter-accepted")).getText());
            assertEquals(String.format(java.util.Locale.US, "%,d", minerAccepted), browser.findElement(By.id("counter-accepted")).getText());
            assertEquals(String.format(java.util.Locale.US, "%,d", api.getLong("stale")), browser.findElement(By.id("counter-stale")).getText());
            assertEquals(String.format(java.util.Locale.US, "%,d", api.getLong("rejected")), browser.findElement(By.id("counter-rejected")).getText());
            assertEquals(String.format(java.util.Locale.US, "%,d", api.getLong("shares")), browser.findElement(By.id("counter-shares")).getText());
            long submits = api.getLong("accepted") + api.getLong("stale") + api.getLong("rejected");
            String pct = browser.findElement(By.id("pct-accepted")).getText();
            double shown = Double.parseDouble(pct.replaceAll("[^0-9.]", ""));
            assertEquals(100.0 * api.getLong("accepted") / submits, shown, 0.1, "accepted as a share of submits: " + pct);
            assertTrue(browser.findElement(By.cssSelector("button[data-range='1h']")).getAttribute("class").contains("active"),
                    "the page opens on the last hour, marked");
            assertTrue(browser.findElement(By.id("worker-last")).getText().endsWith("ago"), "last accepted share shown");
            wait.until(d -> d.findElement(By.id("odds-prob")).getText().endsWith("%"));
            assertTrue(!browser.findElement(By.id("odds-share")).getText().equals("–"), "the expected time to the rig's next share");
            double payout = Double.parseDouble(browser.findElement(By.id("worker-payout")).getText());
            assertEquals(new JsonObject(get("/current_payouts")).getDouble(OWNER), payout, 1e-8, "the payout a block would make now");
            JsonArray sessions = new JsonArray(get("/api/v1/workers/" + enc(WORKER) + "/sessions"));
            wait.until(d -> !d.findElement(By.cssSelector("#sessions tbody")).getText().isEmpty());
            if (sessions.isEmpty()) {
                assertEquals("no live Stratum session", browser.findElement(By.cssSelector("#sessions tbody")).getText(), "a getwork rig");
            } else {
                assertTrue(browser.findElement(By.cssSelector("#sessions tbody")).getText()
                        .contains(sessions.getJsonObject(0).getString("user_agent")), "each session with its miner");
            }
            int rejectRows = new JsonArray(get("/api/v1/workers/" + enc(WORKER) + "/rejects")).size();
            wait.until(d -> !d.findElement(By.cssSelector("#rejects tbody")).getText().isEmpty());
            if (rejectRows > 0) {
                assertTrue(browser.findElements(By.cssSelector("#rejects tbody tr")).size() >= Math.min(rejectRows, 1), "the reject log is shown");
            } else {
                assertEquals("no rejected submits", browser.findElement(By.cssSelector("#rejects tbody")).getText());
            }
            assertEquals("", browser.findElement(By.id("error")).getText());
            assertFitsTheWindow(browser, "worker");
            Files.write(shots.resolve("worker.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            // A phone: the pages reflow, wide tables scroll inside their box, nothing widens the page.
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
            browser.navigate().refresh();
            wait.until(d -> !d.findElement(By.id("counter-accepted")).getText().equals("–"));
            assertFitsTheWindow(browser, "worker on a phone");
            Files.write(shots.resolve("worker-phone.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            browser.get("http://127.0.0.1:" + webPort + "/");
            wait.until(d -> !d.findElement(By.id("chain-height")).getText().equals("–"));
            assertFitsTheWindow(browser, "dashboard on a phone");
            Files.write(shots.resolve("dashboard-phone.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    /**
     * The shipped Grafana dashboard cannot rot: every metric name its panels query exists on this
     * node's /metrics (after a rig mined, a bad Stratum line and a bad peer were counted).
     */
    @Test
    @Order(3)
    void everyMetricTheGrafanaDashboardQueriesExists() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", workerPort)) {
            s.getOutputStream().write("{not json}\n".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(10_000);
            s.getInputStream().read(); // closed by the node
        }
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", p2poolPort)) {
            s.getOutputStream().write(new byte[64]); // not the network's prefix
            s.setSoTimeout(10_000);
            s.getInputStream().read();
        } catch (java.io.IOException closed) {
            // dropped, as it should be
        }
        String dashboard = Files.readString(BcoinNode.repo().resolve("docs/grafana/p2pool4j.json"));
        java.util.Set<String> queried = new java.util.TreeSet<>();
        for (Object p : new JsonObject(dashboard).getJsonArray("panels")) {
            for (Object t : ((JsonObject) p).getJsonArray("targets", new JsonArray())) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b((?:p2pool|jvm|process)_[a-z_]+)\\b")
                        .matcher(((JsonObject) t).getString("expr"));
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        assertTrue(queried.size() >= 20, "the dashboard queries the node's metrics: " + queried);
        waitFor("the refusals on /metrics", 10, () -> get("/metrics").contains("p2pool_peer_events_total{"));
        String metrics = get("/metrics");
        java.util.Set<String> exposed = new java.util.HashSet<>();
        metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> exposed.add(l.split("[{ ]", 2)[0]));
        java.util.List<String> missing = queried.stream().filter(q -> !exposed.contains(q)).toList();
        assertEquals(java.util.List.of(), missing, "metrics the dashboard queries but the node does not serve");
    }

    /** Nothing on the page reaches past the window's right edge (a wide table scrolls inside its own box). */
    private static void assertFitsTheWindow(WebDriver d, String page) {
        Object r = ((JavascriptExecutor) d).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertTrue(((Number) r).intValue() <= 1, page + " is wider than the window by " + r + " px");
    }

    /** A uPlot canvas exists and has pixels on it (a series was drawn, not only an empty frame). */
    private static boolean chartDrawn(WebDriver d) {
        Object r = ((JavascriptExecutor) d).executeScript(
                "const c = document.querySelector('#chart canvas'); if (!c || c.width === 0) return false;"
                        + "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 3; i < px.length; i += 4) { if (px[i] !== 0) n++; } return n > 500;");
        return Boolean.TRUE.equals(r);
    }
}
