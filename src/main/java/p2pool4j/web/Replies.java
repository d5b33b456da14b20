package p2pool4j.web;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every JSON endpoint answers: the value, or a JSON error with a 4xx/503, never a stack trace. */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {}

    static void json(RoutingContext ctx, Object body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        String text = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : Json.encode(body);
        ctx.response().putHeader("Content-Type", "application/json").end(text);
    }

    static void error(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    /** Answers with what {@code f} yields, or 503 when the node cannot say (stopping, not started). */
    static <T> void later(RoutingContext ctx, Future<T> f, java.util.function.Function<T, Object> body) {
        f.onComplete(ar -> {
            if (ar.failed()) {
                LOG.debug("web {}: {}", ctx.request().path(), String.valueOf(ar.cause()));
                error(ctx, 503, "not ready: " + ar.cause().getMessage());
                return;
            }
            Object out;
            try {
                out = body.apply(ar.result());
            } catch (RuntimeException e) {
                LOG.warn("web {} failed: {}", ctx.request().path(), e.toString());
                error(ctx, 500, "internal error");
                return;
            }
            json(ctx, out);
        });
    }

    /** Web reads queued on the database thread at most: beyond, a 503, so a flood never delays the sharechain's writes. */
    static final int MAX_DB_READS = 32;
    private static final java.util.concurrent.atomic.AtomicInteger DB_READS = new java.util.concurrent.atomic.AtomicInteger();

    /** A database read (started only if there is room), answered back on the request's own context. */
    static <T> Future<T> db(RoutingContext ctx, java.util.function.Supplier<CompletionStage<T>> read) {
        if (DB_READS.incrementAndGet() > MAX_DB_READS) {
            DB_READS.decrementAndGet();
            return Future.failedFuture("busy: too many requests waiting for the database");
        }
        CompletionStage<T> stage;
        try {
            stage = read.get();
        } catch (RuntimeException e) {
            DB_READS.decrementAndGet();
            return Future.failedFuture(e);
        }
        return Future.fromCompletionStage(stage.whenComplete((v, e) -> DB_READS.decrementAndGet()), ctx.vertx().getOrCreateContext());
    }
}
