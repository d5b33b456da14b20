package p2pool4j.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.stats.LiveStats;
import p2pool4j.stats.StatsQueries;

/**
 * The read-only web side of the node: the UI from web/ on the classpath (uPlot from its WebJar),
 * the JSON API under /api/v1 ({@link ApiV1}), the reference P2Pool's endpoints
 * ({@link ReferenceApi}) and /metrics. Every response carries a Content-Security-Policy of
 * 'self'; bad paths and parameters are 4xx, never 500, never a file outside the web root.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final int MAX_URI = 2048;
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist";

    /** What the web layer reads. {@code metrics} yields the Prometheus text, or null when metrics are off. */
    public record Sources(LiveStats live, StatsQueries queries, NodeView node, String network, Supplier<String> metrics,
            GaugeHistory gauges) {}

    private final Vertx vertx;
    private final Sources sources;
    private HttpServer server;
    private final java.util.concurrent.atomic.AtomicLong badRequests = new java.util.concurrent.atomic.AtomicLong();

    public WebServer(Vertx vertx, Sources sources) {
        this.vertx = vertx;
        this.sources = sources;
    }

    /** Requests answered with a 4xx (bad paths, parameters, oversized URIs). */
    public long badRequests() {
        return badRequests.get();
    }

    public Future<Integer> start(String host, int port) {
        Router r = Router.router(vertx);
        r.route().handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", "default-src 'self'").putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer");
            ctx.addHeadersEndHandler(v -> {
                int code = ctx.response().getStatusCode();
                if (code >= 400 && code < 500) {
                    badRequests.incrementAndGet();
                }
            });
            if (ctx.request().uri().length() > MAX_URI) {
                ctx.fail(414);
                return;
            }
            ctx.next();
        });
        new ApiV1(sources.live(), sources.queries(), sources.node()).mount(r);
        new ReferenceApi(sources.live(), sources.queries(), sources.node(), sources.network(), sources.gauges()).mount(r);
        r.get("/metrics").handler(ctx -> {
            String text = sources.metrics() == null ? null : sources.metrics().get();
            if (text == null) {
                Replies.error(ctx, 404, "metrics are off");
                return;
            }
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
        });
        r.get("/").handler(ctx -> ctx.redirect("/index.html"));
        r.route("/vendor/uplot/*").handler(StaticHandler.create(UPLOT).setCachingEnabled(true).setDirectoryListing(false));
        r.route().handler(StaticHandler.create("web").setCachingEnabled(false).setDirectoryListing(false));
        r.route().failureHandler(ctx -> {
            int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (code >= 500) {
                LOG.warn("web request {} failed: {}", ctx.request().path(), String.valueOf(ctx.failure()));
            }
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(code).end();
            }
        });
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setMaxInitialLineLength(MAX_URI + 64)
                .setMaxHeaderSize(16 * 1024));
        return server.requestHandler(req -> {
            if (!wellFormedEscapes(req.uri())) {
                // Vert.x Web would log a stack trace for each: expected bad input is one counted, rate-limited line.
                badRequests.incrementAndGet();
                long now = System.currentTimeMillis();
                if (now - lastBadUriLog > 60_000) {
                    lastBadUriLog = now;
                    LOG.warn("web: request with a malformed %-escape from {} answered 400 (logged at most once a minute)",
                            req.remoteAddress() == null ? "?" : req.remoteAddress().hostAddress());
                }
                req.response().setStatusCode(400).end();
                return;
            }
            r.handle(req);
        }).listen(port, host).map(HttpServer::actualPort)
                .recover(e -> Future.failedFuture("cannot listen for the web UI on " + host + ":" + port + ": " + e.getMessage()));
    }

    private volatile long lastBadUriLog;

    /** Every '%' is followed by two hex digits (RFC 3986), the only thing Vert.x Web's path decoder chokes on. */
    static boolean wellFormedEscapes(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '%') {
                if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0 || Character.digit(uri.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
