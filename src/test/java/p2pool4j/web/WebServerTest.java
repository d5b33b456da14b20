package p2pool4j.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import p2pool4j.stats.LiveStats;
import p2pool4j.work.SubmitEvent;
import p2pool4j.work.SubmitResult;

/** The web layer on loopback: API shapes, and bad input answered with 4xx, never 500, never a file outside the web root. */
class WebServerTest {
    private Vertx vertx;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        LiveStats stats = new LiveStats();
        long now = System.currentTimeMillis();
        stats.accept(new SubmitEvent("addr.rig1", "addr", 2.0, SubmitResult.ACCEPTED, true, false, false, 5.0, "cgminer", now, null));
        stats.accept(new SubmitEvent("addr.rig1", "addr", 2.0, SubmitResult.STALE, false, false, false, 0, "cgminer", now, null));
        WebServer.NodeView view = new WebServer.NodeView() {
            @Override
            public JsonObject status() {
                return new JsonObject().put("network", "regtest");
            }

            @Override
            public JsonArray peers() {
                return new JsonArray().add(new JsonObject().put("address", "10.0.0.2").put("port", 9333));
            }
        };
        port = new WebServer(vertx, stats, () -> Future.succeededFuture(view), 1.5).start("127.0.0.1", 0)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void apiAndReferenceEndpoints() throws Exception {
        JsonArray workers = new JsonArray(get("/api/v1/workers").body());
        assertEquals("addr.rig1", workers.getJsonObject(0).getString("worker"));
        assertEquals(1, workers.getJsonObject(0).getLong("accepted"));
        assertEquals(1, workers.getJsonObject(0).getLong("stale"));
        assertEquals(1, workers.getJsonObject(0).getLong("shares"));
        assertEquals("regtest", new JsonObject(get("/api/v1/status").body()).getString("network"));
        assertEquals("1.5", get("/fee").body());
        assertEquals("\"10.0.0.2:9333\"", get("/peer_addresses").body());
        assertTrue(new JsonObject(get("/local_stats").body()).getJsonObject("miner_hash_rates").containsKey("addr.rig1"));
        HttpResponse<String> page = get("/index.html");
        assertEquals(200, page.statusCode());
        assertEquals("default-src 'self'", page.headers().firstValue("Content-Security-Policy").orElse(""));
    }

    @Test
    void badInputIsA4xx() throws Exception {
        assertEquals(404, get("/api/v1/workers/nobody").statusCode());
        assertEquals(404, get("/no/such/page").statusCode());
        assertEquals(404, get("/..%2f..%2fetc%2fpasswd").statusCode());
        assertEquals(404, get("/%2e%2e/%2e%2e/pom.xml").statusCode());
        assertEquals(414, get("/api/v1/workers?" + "x".repeat(5000)).statusCode());
        assertEquals(404, get("/api/v1/workers/%3Cscript%3E").statusCode());
    }
}
