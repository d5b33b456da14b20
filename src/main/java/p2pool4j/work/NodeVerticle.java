package p2pool4j.work;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import p2pool4j.sharechain.P2poolNetwork;

/**
 * The node's verticle: one instance, whose event loop is the only thread that touches the
 * tracker, the current template and the job cache ({@link Node}). Started, it has reloaded the
 * stored chain and publishes snapshots.
 */
public final class NodeVerticle extends VerticleBase {
    private final P2poolNetwork net;
    private final ChainStore store;
    private final java.util.function.LongSupplier clock;
    private volatile Node node;

    public NodeVerticle(P2poolNetwork net, ChainStore store) {
        this(net, store, () -> System.currentTimeMillis() / 1000);
    }

    /** @param clock seconds since the epoch; tests replaying old chains pass their own */
    public NodeVerticle(P2poolNetwork net, ChainStore store, java.util.function.LongSupplier clock) {
        this.net = net;
        this.store = store;
        this.clock = clock;
    }

    /** The node (after deployment); its methods may be called from any thread. */
    public Node node() {
        return node;
    }

    @Override
    public Future<?> start() {
        node = new Node(vertx, net, store, clock);
        return node.start();
    }

    @Override
    public Future<?> stop() {
        if (node != null) {
            node.stop();
        }
        return Future.succeededFuture();
    }
}
