package p2pool4j.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import p2pool4j.stats.Database;
import p2pool4j.stats.LiveStats;
import p2pool4j.stats.Metrics;
import p2pool4j.stats.StatsQueries;
import p2pool4j.stats.StatsWriter;
import p2pool4j.work.FoundBlock;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/**
 * The web layer on loopback over a real SQLite file: API shapes (ours and the reference's), and
 * bad input answered with 4xx, never 500, never a file outside the web root. The node side is a
 * fixed JSON snapshot here; MiningIT checks it against a real node.
 */
class WebServerTest {
    private Vertx vertx;
    private int port;
    private Database db;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static JsonObject status() {
        return new JsonObject().put("network", "regtest").put("version", "p2pool4j test").put("protocol_version", 3501).put("uptime_s", 42L)
                .put("payout_address", "mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8").put("fee", 1.5).put("donation_percent", 0.0)
                .put("bitcoind", new JsonObject().put("rpc_connected", true).put("height", 101))
                .put("sharechain", new JsonObject().put("height", 12).put("best_share", "00".repeat(32)))
                .put("pool", new JsonObject().put("hashrate", 1000.0).put("stale_prop", 0.1).put("hour_hashrate", 900.0)
                        .put("hour_nonstale_hashrate", 810.0).put("hour_stale_prop", 0.1).put("min_difficulty", 0.5)
                        .put("network_difficulty", 4.6e-10).put("network_hashrate", 3.3).put("attempts_to_share", 2e9)
                        .put("attempts_to_block", 2.0).put("block_value_sat", 5_000_000_000L))
                .put("payouts", new JsonArray().add(new JsonObject().put("address", "mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8")
                        .put("amount_sat", 4_975_000_000L).put("fraction", 0.995).put("node", true)))
                .put("users", new JsonObject().put("mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8", 1.0))
                .put("recent_blocks", new JsonArray()).put("peers", new JsonObject().put("incoming", 1).put("outgoing", 0))
                .put("local_shares", new JsonObject().put("total", 4).put("orphan", 1).put("dead", 1)).put("warnings", new JsonArray());
    }

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx();
        db = Database.open(dir);
        LiveStats stats = new LiveStats();
        Metrics metrics = new Metrics(true);
        GaugeHistory gauges = new GaugeHistory();
        gauges.record("peers", System.currentTimeMillis(), java.util.Map.of("incoming", 1.0, "outgoing", 2.0));
        gauges.record("current_payout", System.currentTimeMillis(), java.util.Map.of("", 0.5));
        long now = System.currentTimeMillis();
        try (StatsWriter w = new StatsWriter(db)) {
            for (SubmitEvent e : new SubmitEvent[] {
                new SubmitEvent("addr.rig1", "addr", 2.0, SubmitResult.ACCEPTED, true, false, false, 5.0, "cgminer", now, 3000.0),
                new SubmitEvent("addr.rig1", "addr", 2.0, SubmitResult.STALE, false, false, false, 0, "cgminer", now),
                new SubmitEvent("addr.rig1", "addr", 2.0, SubmitResult.DUPLICATE, false, false, false, 0, "cgminer", now)}) {
                stats.accept(e);
                w.accept(e);
                metrics.accept(e);
            }
            // A worker only the database knows (seen before a restart).
            w.accept(new SubmitEvent("old.rig", "old", 1.0, SubmitResult.ACCEPTED, false, false, false, 1.0, "bfgminer", now - 3_600_000));
            w.shareStatus(java.util.List.of(new p2pool4j.work.LocalShares.Change("11".repeat(32), "addr.rig1", now, false, "pending")));
            java.util.List<FoundBlock> found = new java.util.ArrayList<>(java.util.List.of(
                    new FoundBlock("ab".repeat(32), 102, 5_000_000_000L, "addr.rig1", now, null, "pending"),
                    new FoundBlock("ab".repeat(32), 102, 5_000_000_000L, "addr.rig1", now, null, "accepted")));
            for (int i = 0; i < 3; i++) { // solutions on the same parent: counted, never rows, never "blocks found"
                found.add(new FoundBlock("c" + i + "ab".repeat(31), 102, 5_000_000_000L, "addr.rig1", now, null,
                        "not submitted: a block on the same parent is being delivered or was accepted"));
            }
            for (FoundBlock b : found) {
                w.blockFound(b);
                metrics.blockFound(b);
            }
        }
        NodeView view = new NodeView() {
            @Override
            public Future<JsonObject> status() {
                return Future.succeededFuture(WebServerTest.status());
            }

            @Override
            public Future<JsonArray> peers() {
                return Future.succeededFuture(new JsonArray().add(new JsonObject().put("address", "10.0.0.2").put("port", 9333)
                        .put("sub_version", "p2pool 17.0")));
            }

            @Override
            public Future<JsonArray> bans() {
                return Future.succeededFuture(new JsonArray());
            }

            @Override
            public Future<JsonObject> chain() {
                return Future.succeededFuture(new JsonObject().put("best", "00".repeat(32)).put("heads", new JsonArray())
                        .put("verified_heads", new JsonArray()).put("tails", new JsonArray()).put("verified_tails", new JsonArray())
                        .put("my_share_hashes", new JsonArray().add("11".repeat(32))));
            }

            @Override
            public Future<JsonObject> share(String hashHex) {
                return Future.succeededFuture(null);
            }

            @Override
            public Future<Buffer> shareData(String hashHex) {
                return Future.succeededFuture(null);
            }
        };
        port = new WebServer(vertx, new WebServer.Sources(stats, new StatsQueries(db), view, "regtest", metrics::scrape, gauges))
                .start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        db.close();
    }

    /** The status of a GET sent as raw bytes: java.net.URI refuses to build some of the bad paths tested. */
    private int rawStatus(String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void workersMergeLiveCountersWithTheStoredDay() throws Exception {
        JsonArray workers = new JsonArray(get("/api/v1/workers").body());
        assertEquals(2, workers.size());
        JsonObject rig = workers.getJsonObject(0);
        assertEquals("addr.rig1", rig.getString("worker"));
        assertEquals(1, rig.getLong("accepted"));
        assertEquals(1, rig.getLong("stale"));
        assertEquals(1, rig.getLong("rejected"));
        assertEquals(1, rig.getJsonObject("rejected_by_reason").getLong("duplicate"));
        long byReason = 0;
        for (String k : rig.getJsonObject("rejected_by_reason").fieldNames()) {
            byReason += rig.getJsonObject("rejected_by_reason").getLong(k);
        }
        assertEquals(rig.getLong("rejected"), byReason, "rejected_by_reason adds up to rejected (stale is its own count)");
        assertEquals(1, rig.getLong("shares"));
        assertTrue(rig.getBoolean("online"));
        assertEquals(1, rig.getJsonObject("last_24h").getLong("accepted"));
        JsonObject old = workers.getJsonObject(1);
        assertEquals("old.rig", old.getString("worker"));
        assertEquals(0, old.getLong("accepted")); // nothing since start
        assertEquals(1, old.getJsonObject("last_24h").getLong("accepted"));
        assertFalse(old.getBoolean("online"));
        JsonObject one = new JsonObject(get("/api/v1/workers/addr.rig1").body());
        assertEquals(1, one.getJsonObject("sharechain_shares").getLong("pending"));
    }

    @Test
    void historyHasBandsAndShareCounts() throws Exception {
        JsonArray rejects = new JsonArray(get("/api/v1/workers/addr.rig1/rejects").body());
        assertEquals(2, rejects.size(), "the stale and the duplicate submit");
        assertEquals("duplicate", rejects.getJsonObject(0).getString("reason"), "newest first");
        assertEquals("Duplicate share", rejects.getJsonObject(0).getString("message"));
        assertEquals("stale", rejects.getJsonObject(1).getString("reason"));
        assertEquals("[]", get("/api/v1/workers/nobody/rejects").body());
        JsonObject h = new JsonObject(get("/api/v1/workers/addr.rig1/history?range=1h").body());
        JsonArray points = h.getJsonArray("points");
        assertEquals(60, points.size());
        long accepted = 0;
        for (Object o : points) {
            JsonObject p = (JsonObject) o;
            accepted += p.getLong("accepted");
            assertTrue(p.getDouble("low") <= p.getDouble("hashrate") && p.getDouble("hashrate") <= p.getDouble("high"));
        }
        assertEquals(1, accepted);
        assertEquals(400, get("/api/v1/workers/addr.rig1/history?range=1y").statusCode());
        assertEquals(168, new JsonObject(get("/api/v1/history?range=7d").body()).getJsonArray("points").size());
    }

    @Test
    void foundBlocksCarryBitcoindsVerdict() throws Exception {
        JsonArray blocks = new JsonArray(get("/api/v1/blocks").body());
        assertEquals(1, blocks.size());
        assertEquals("accepted", blocks.getJsonObject(0).getString("verdict"));
        assertEquals(102, blocks.getJsonObject(0).getLong("height"));
        JsonObject summary = new JsonObject(get("/api/v1/blocks/summary").body());
        assertEquals(1, summary.getLong("accepted"));
        assertEquals(3, summary.getLong("not_submitted"));
        assertEquals(0, new JsonArray(get("/api/v1/blocks?limit=1&before=" + blocks.getJsonObject(0).getLong("time_ms")).body()).size(),
                "the page before the only block is empty");
        assertEquals(400, get("/api/v1/blocks?limit=0").statusCode());
        assertEquals(400, get("/api/v1/blocks?before=x").statusCode());
    }

    @Test
    void referenceEndpointsKeepTheirShapes() throws Exception {
        assertEquals("1.5", get("/fee").body());
        assertEquals("1000.0", get("/rate").body());
        assertEquals("0.5", get("/difficulty").body());
        assertEquals("\"10.0.0.2:9333\"", get("/peer_addresses").body());
        assertEquals("*", get("/rate").headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals(49.75, new JsonObject(get("/current_payouts").body()).getDouble("mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8"));
        assertEquals(1.0, new JsonObject(get("/users").body()).getDouble("mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8"));
        JsonObject global = new JsonObject(get("/global_stats").body());
        assertEquals(900.0, global.getDouble("pool_hash_rate"));
        assertTrue(global.containsKey("network_hashrate"));
        JsonObject local = new JsonObject(get("/local_stats").body());
        // Keys as the reference serves them: rates by worker (the username before + or /), last difficulties by payout
        // address, holding the sharechain difficulty of the address's last job (front-ends divide it by min_difficulty).
        assertTrue(local.getJsonObject("miner_hash_rates").containsKey("addr.rig1"));
        assertTrue(local.getJsonObject("miner_dead_hash_rates").containsKey("addr.rig1"));
        assertEquals(new JsonObject().put("addr", 3000.0), local.getJsonObject("miner_last_difficulties"));
        assertEquals(4, local.getJsonObject("shares").getInteger("total"));
        assertEquals(0.5, local.getJsonObject("my_stale_proportions_in_last_hour").getDouble("stale"));
        assertEquals(50.0, local.getDouble("block_value"));
        assertEquals("[]", get("/recent_blocks").body());
        assertEquals("42.0", get("/uptime").body());
        assertEquals("\"" + "00".repeat(32) + "\"", get("/web/best_share_hash").body());
        assertEquals(1, new JsonArray(get("/web/my_share_hashes50").body()).size());
        assertEquals("null", get("/web/share/" + "22".repeat(32)).body());
        assertEquals("rBTC", new JsonObject(get("/web/currency_info").body()).getString("symbol"));
        JsonArray graph = new JsonArray(get("/web/graph_data/local_hash_rate/last_hour").body());
        assertEquals(150, graph.size());
        assertEquals(4, graph.getJsonArray(0).size());
        assertEquals(404, get("/web/graph_data/traffic_rate/last_hour").statusCode());
        JsonArray peers = new JsonArray(get("/web/graph_data/peers/last_hour").body());
        // The sample is in the newest bin, or the one before if a bin boundary passed since it was taken.
        Object newest = peers.getJsonArray(149).getValue(1) != null ? peers.getJsonArray(149).getValue(1) : peers.getJsonArray(148).getValue(1);
        assertEquals(2.0, ((JsonObject) newest).getDouble("outgoing"));
        assertEquals(null, peers.getJsonArray(0).getValue(1), "a gauge bin without samples is null");
        JsonArray payout = new JsonArray(get("/web/graph_data/current_payout/last_day").body());
        assertEquals(0.5, payout.getJsonArray(299).getValue(1) != null ? payout.getJsonArray(299).getDouble(1) : payout.getJsonArray(298).getDouble(1));
        JsonArray miners = new JsonArray(get("/web/graph_data/miner_hash_rates/last_hour").body());
        assertTrue(miners.stream().anyMatch(b -> ((JsonArray) b).getJsonObject(1).containsKey("addr.rig1")));
        assertEquals(288, new JsonArray(get("/web/log").body()).size());
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> m = get("/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("p2pool_miner_submits_total{result=\"accepted\"} 1.0"), m.body());
        assertTrue(m.body().contains("p2pool_miner_work_hashes_total 8.589934592E9"), m.body());
        assertTrue(m.body().contains("p2pool_worker_submits_total{result=\"duplicate\",worker=\"addr.rig1\"} 1.0"), m.body());
        assertTrue(m.body().contains("p2pool_peers{direction=\"incoming\"}"));
        assertTrue(m.body().contains("p2pool_blocks_found_total 1.0"), "one block submitted, three solutions not: " + m.body());
        assertTrue(m.body().contains("p2pool_blocks_accepted_total 1.0"), m.body());
    }

    @Test
    void pagesAndTheChartLibraryComeFromThisNode() throws Exception {
        for (String page : new String[] {"/index.html", "/workers.html", "/worker.html", "/blocks.html", "/peers.html", "/common.js",
            "/vendor/uplot/uPlot.iife.min.js", "/vendor/uplot/uPlot.min.css"}) {
            HttpResponse<String> r = get(page);
            assertEquals(200, r.statusCode(), page);
            assertEquals("default-src 'self'", r.headers().firstValue("Content-Security-Policy").orElse(""), page);
            assertFalse(r.body().contains("http://") || r.body().contains("https://cdn"), page + " must not load from elsewhere");
        }
    }

    @Test
    void aFloodOfHistoryRequestsGets200sOr503sNeverAnError() throws Exception {
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) { // bounded: 300 requests at once over loopback
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/workers/addr.rig1/history?range=7d"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        java.util.Set<Integer> codes = new java.util.TreeSet<>();
        for (var f : all) {
            codes.add(f.get(30, TimeUnit.SECONDS).statusCode());
        }
        assertTrue(java.util.Set.of(200, 503).containsAll(codes), codes.toString());
        assertEquals(200, get("/api/v1/workers/addr.rig1/history?range=7d").statusCode(), "the node answers again once the flood is served");
    }

    @Test
    void aMalformedEscapeIsOneCountedWarningNotAStackTrace() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        root.addAppender(seen);
        try {
            for (String bad : new String[] {"/%zz", "/api/v1/workers/%", "/index.html?x=%4", "/%%41"}) {
                assertEquals(400, rawStatus(bad), bad);
            }
            assertEquals(200, get("/api/v1/workers/addr.rig1").statusCode(), "well-formed escapes still pass");
        } finally {
            root.detachAppender(seen);
        }
        assertTrue(seen.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)), "no ERROR");
        assertTrue(seen.list.stream().noneMatch(e -> e.getThrowableProxy() != null), "no stack trace");
        assertTrue(seen.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).count() <= 1, "one WARN at most");
    }

    @Test
    void badInputIsA4xxNeverA500() throws Exception {
        assertEquals(404, get("/api/v1/workers/nobody").statusCode());
        assertEquals(404, get("/no/such/page").statusCode());
        assertEquals(404, get("/..%2f..%2fetc%2fpasswd").statusCode());
        assertEquals(404, get("/%2e%2e/%2e%2e/pom.xml").statusCode());
        assertEquals(404, get("/vendor/uplot/..%2f..%2f..%2fMETA-INF%2fMANIFEST.MF").statusCode());
        assertEquals(414, get("/api/v1/workers?" + "x".repeat(5000)).statusCode());
        assertEquals(404, get("/api/v1/workers/%3Cscript%3E").statusCode());
        assertEquals(400, get("/api/v1/workers/" + "w".repeat(300)).statusCode());
        assertEquals("null", get("/web/share/not-a-hash").body());
        assertEquals(404, get("/web/share_data/zz").statusCode());
        assertEquals(404, get("/web/graph_data/local_hash_rate/last_century").statusCode());
        for (String p : new String[] {"/api/v1/workers/%00", "/api/v1/workers/%ff%fe", "/web/share/%00", "/api/v1/history?range=%00"}) {
            int code = get(p).statusCode();
            assertNotEquals(500, code, p);
            assertTrue(code < 500, p + " -> " + code);
        }
    }
}
