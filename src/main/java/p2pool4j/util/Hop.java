package p2pool4j.util;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Runs work on the context that owns some state and answers on the caller's context. A plain
 * {@code Future.future(p -> other.runOnContext(...))} completes on the owner's thread, so the
 * caller's continuation would run there and touch the caller's state from the wrong thread.
 */
public final class Hop {
    private Hop() {}

    /** @return a future completed on the calling context (inline when called from outside any context) */
    public static <T> Future<T> to(Context owner, Callable<T> work) {
        Context caller = Vertx.currentContext();
        Promise<T> p = Promise.promise();
        Runnable run = () -> {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                back(caller, owner, () -> p.fail(e));
                return;
            }
            back(caller, owner, () -> p.complete(result));
        };
        if (caller == owner) {
            run.run();
        } else {
            owner.runOnContext(v -> run.run());
        }
        return p.future();
    }

    /** Like {@link #to}, for work that itself answers with a future (completed on the owner's context). */
    public static <T> Future<T> compose(Context owner, Callable<Future<T>> work) {
        Context caller = Vertx.currentContext();
        Promise<T> p = Promise.promise();
        Runnable run = () -> {
            Future<T> f;
            try {
                f = work.call();
            } catch (Exception e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> back(caller, owner, () -> p.handle(ar)));
        };
        if (caller == owner) {
            run.run();
        } else {
            owner.runOnContext(v -> run.run());
        }
        return p.future();
    }

    private static void back(Context caller, Context owner, Runnable r) {
        if (caller == null || caller == Vertx.currentContext()) {
            r.run();
        } else {
            caller.runOnContext(v -> r.run());
        }
    }
}
