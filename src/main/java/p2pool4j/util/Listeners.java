package p2pool4j.util;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners that each run on the context they subscribed from: an event published by the node
 * reaches each worker-port instance on its own event loop, never on the node's. What is
 * published must be immutable, since every listener sees the same object.
 */
public final class Listeners<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private record Entry<T>(Context context, Consumer<T> listener) {}

    private final List<Entry<T>> entries = new CopyOnWriteArrayList<>();

    /** Subscribes on the calling context (listeners added outside a context run on the publisher's thread). */
    public void add(Consumer<T> listener) {
        entries.add(new Entry<>(Vertx.currentContext(), listener));
    }

    public void publish(T event) {
        Context here = Vertx.currentContext();
        for (Entry<T> e : entries) {
            if (e.context() == null || e.context() == here) {
                run(e.listener(), event);
            } else {
                e.context().runOnContext(v -> run(e.listener(), event));
            }
        }
    }

    private static <T> void run(Consumer<T> l, T event) {
        try {
            l.accept(event);
        } catch (RuntimeException ex) {
            LOG.warn("listener failed: {}", ex.toString());
        }
    }
}
