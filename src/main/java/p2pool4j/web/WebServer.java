package p2pool4j.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.stats.LiveStats;

/**
 * The read-only web side of the node: a JSON API under /api/v1, a few of the reference P2Pool's
 * endpoints with their JSON shapes, and the static UI from web/ on the classpath. Every response
 * carries a Content-Security-Policy of 'self'; unknown paths are 404, never 500.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /** What the node tells the web layer, as JSON snapshots (built on the node's context by the supplier). */
    public interface NodeView {
        JsonObject status();

        JsonArray peers();
    }

    private final Vertx vertx;
    private final LiveStats stats;
    private final Supplier<Future<NodeView>> view;
    private final double feePercent;
    private HttpServer server;

    public WebServer(Vertx vertx, LiveStats stats, Supplier<Future<NodeView>> view, double feePercent) {
        this.vertx = vertx;
        this.stats = stats;
        this.view = view;
        this.feePercent = feePercent;
    }

    public Future<Integer> start(String host, int port) {
        Router r = Router.router(vertx);
        r.route().handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", "default-src 'self'").putHeader("X-Content-Type-Options", "nosniff");
            if (ctx.request().uri().length() > 2048) {
                ctx.fail(414);
                return;
            }
            ctx.next();
        });
        r.get("/api/v1/status").handler(ctx -> view.get().onComplete(ar -> json(ctx, ar.succeeded() ? ar.result().status() : null)));
        r.get("/api/v1/peers").handler(ctx -> view.get().onComplete(ar -> json(ctx, ar.succeeded() ? ar.result().peers() : null)));
        r.get("/api/v1/workers").handler(ctx -> json(ctx, workers()));
        r.get("/api/v1/workers/:name").handler(ctx -> {
            String name = ctx.pathParam("name");
            for (Object o : workers()) {
                if (((JsonObject) o).getString("worker").equals(name)) {
                    json(ctx, o);
                    return;
                }
            }
            ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json").end("{\"error\":\"unknown worker\"}");
        });
        // The reference P2Pool's endpoints that scanners and old front-ends read.
        r.get("/local_stats").handler(ctx -> json(ctx, localStats()));
        r.get("/fee").handler(ctx -> json(ctx, feePercent));
        r.get("/uptime").handler(ctx -> json(ctx, (System.currentTimeMillis() - stats.startedMillis()) / 1000.0));
        r.get("/peer_addresses").handler(ctx -> view.get().onComplete(ar -> {
            StringBuilder sb = new StringBuilder();
            if (ar.succeeded()) {
                for (Object p : ar.result().peers()) {
                    JsonObject o = (JsonObject) p;
                    sb.append(sb.length() == 0 ? "" : " ").append(o.getString("address")).append(':').append(o.getInteger("port"));
                }
            }
            json(ctx, sb.toString());
        }));
        r.get("/").handler(ctx -> ctx.redirect("/index.html"));
        r.route().handler(StaticHandler.create("web").setCachingEnabled(false).setDirectoryListing(false));
        r.route().failureHandler(ctx -> {
            int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (code >= 500) {
                LOG.warn("web request {} failed: {}", ctx.request().path(), String.valueOf(ctx.failure()));
            }
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(code == 500 ? 500 : code).end();
            }
        });
        server = vertx.createHttpServer();
        return server.requestHandler(r).listen(port, host).map(HttpServer::actualPort)
                .recover(e -> Future.failedFuture("cannot listen for the web UI on " + host + ":" + port + ": " + e.getMessage()));
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private static void json(RoutingContext ctx, Object body) {
        if (body == null) {
            ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json").end("{\"error\":\"not ready\"}");
            return;
        }
        String text = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode()
                : io.vertx.core.json.Json.encode(body);
        ctx.response().putHeader("Content-Type", "application/json").end(text);
    }

    private JsonArray workers() {
        JsonArray a = new JsonArray();
        for (LiveStats.WorkerSnapshot w : stats.workers()) {
            JsonObject rejected = new JsonObject();
            w.byResult().forEach((k, v) -> {
                if (!k.accepted()) {
                    rejected.put(k.name().toLowerCase(java.util.Locale.ROOT), v);
                }
            });
            a.add(new JsonObject().put("worker", w.worker()).put("address", w.address()).put("accepted", w.accepted())
                    .put("stale", w.stale()).put("doa", w.doa()).put("rejected", w.rejected()).put("rejected_by_reason", rejected)
                    .put("shares", w.shares()).put("blocks", w.blocks()).put("hashrate", w.hashrate())
                    .put("dead_hashrate", w.deadHashrate()).put("best_difficulty", w.bestDifficulty())
                    .put("difficulty", w.lastDifficulty()).put("last_share_ms", w.lastShareMillis()).put("user_agent", w.userAgent()));
        }
        return a;
    }

    /** The reference's /local_stats shape, for the fields this node knows so far. */
    private JsonObject localStats() {
        JsonObject rates = new JsonObject();
        JsonObject dead = new JsonObject();
        for (LiveStats.WorkerSnapshot w : stats.workers()) {
            rates.put(w.worker(), w.hashrate());
            dead.put(w.worker(), w.deadHashrate());
        }
        return new JsonObject().put("miner_hash_rates", rates).put("miner_dead_hash_rates", dead)
                .put("uptime", (System.currentTimeMillis() - stats.startedMillis()) / 1000.0).put("fee", feePercent);
    }
}
