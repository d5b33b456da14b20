package p2pool4j.work;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.ChainLoader;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.Tracker;
import p2pool4j.stats.ShareStore;

/**
 * The single owner of the sharechain tracker and the current block template. Everything that
 * reads or changes them runs on this node's Vert.x context; other components call in through
 * methods that hop onto it. On start it reloads the stored chain (read on the database thread,
 * parsed and verified on a worker), so a restart resumes at the same best share.
 */
public final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    static final long THINK_MS = 5_000;

    /** A share the tracker refused, with where it came from, for the peer layer to ban. */
    public record Refused(Sha256Hash hash, Object source, String reason) {}

    private final Vertx vertx;
    private final Context context;
    private final P2poolNetwork net;
    private final ShareStore store;
    private final List<Consumer<Sha256Hash>> bestListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Refused>> refusedListeners = new CopyOnWriteArrayList<>();
    private Tracker tracker;
    private Template template;
    private Sha256Hash best;
    private List<Tracker.Desired> desired = List.of();
    private long timer = -1;
    private final java.util.function.LongSupplier clock;

    public Node(Vertx vertx, P2poolNetwork net, ShareStore store) {
        this(vertx, net, store, () -> System.currentTimeMillis() / 1000);
    }

    /** @param clock seconds since the epoch; tests replaying old chains pass their own */
    public Node(Vertx vertx, P2poolNetwork net, ShareStore store, java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.net = net;
        this.store = store;
        this.tracker = new Tracker(net);
    }

    public P2poolNetwork net() {
        return net;
    }

    public Context context() {
        return context;
    }

    public void onBestShare(Consumer<Sha256Hash> l) {
        bestListeners.add(l);
    }

    public void onRefused(Consumer<Refused> l) {
        refusedListeners.add(l);
    }

    /** Loads the stored chain, then starts thinking every few seconds. */
    public Future<Void> start() {
        long now = clock.getAsLong();
        Future<List<ShareStore.Stored>> stored = store == null ? Future.succeededFuture(List.of())
                : Future.fromCompletionStage(store.loadAll(), context);
        return stored.compose(rows -> vertx.executeBlocking(() -> {
            List<ChainLoader.Raw> raw = new ArrayList<>(rows.size());
            rows.forEach(r -> raw.add(new ChainLoader.Raw(r.type(), r.contents(), r.timeSeen())));
            return ChainLoader.load(net, raw, now, h -> 0);
        }, false)).compose(loaded -> Future.<Void>future(p -> context.runOnContext(v -> {
            tracker = loaded.tracker();
            if (loaded.unreadable() > 0) {
                LOG.warn("sharechain: {} stored shares could not be read and were skipped (first: {})", loaded.unreadable(),
                        loaded.problems().isEmpty() ? "?" : loaded.problems().get(0).getMessage());
            }
            apply(loaded.decision());
            LOG.info("sharechain: {} shares loaded from disk, best {} (height {})", loaded.loaded(),
                    best == null ? "none" : best, best == null ? 0 : tracker.height(best));
            timer = vertx.setPeriodic(THINK_MS, id -> think());
            p.complete();
        })));
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Shares from a peer or our miners. Runs on the node's context; new ones are stored. */
    public Future<Integer> addShares(List<Share> shares, Object source) {
        return Future.future(p -> context.runOnContext(v -> {
            long now = clock.getAsLong();
            List<Share> fresh = new ArrayList<>();
            for (Share s : shares) {
                if (tracker.add(s, now, source)) {
                    fresh.add(s);
                }
            }
            if (!fresh.isEmpty() && store != null) {
                store.add(fresh, now).exceptionally(err -> {
                    LOG.warn("could not store {} shares: {}", fresh.size(), err.getMessage());
                    return 0;
                });
            }
            if (!fresh.isEmpty()) {
                think();
            }
            p.complete(fresh.size());
        }));
    }

    public void setTemplate(Template t) {
        context.runOnContext(v -> {
            template = t;
            think();
        });
    }

    /** Call only on the node's context. */
    public Tracker tracker() {
        return tracker;
    }

    /** Call only on the node's context. */
    public Template template() {
        return template;
    }

    /** Call only on the node's context. */
    public Sha256Hash best() {
        return best;
    }

    /** Missing parents worth downloading (from the last think). Call only on the node's context. */
    public List<Tracker.Desired> desired() {
        return desired;
    }

    private void think() {
        long now = clock.getAsLong();
        Template t = template;
        Tracker.Decision d = tracker.think(now, h -> t != null && h.equals(t.previousBlockHash()) ? 0 : null);
        apply(d);
        List<Sha256Hash> pruned = tracker.prune(now);
        if (!pruned.isEmpty() && store != null) {
            store.remove(pruned);
        }
    }

    private void apply(Tracker.Decision d) {
        desired = d.desired();
        for (Tracker.Bad b : d.bad()) {
            LOG.warn("share {} refused: {}", b.hash(), b.reason().getMessage());
            Refused r = new Refused(b.hash(), b.source(), b.reason().rejection().code());
            refusedListeners.forEach(l -> l.accept(r));
        }
        if (d.best() != null && !d.best().equals(best)) {
            best = d.best();
            bestListeners.forEach(l -> l.accept(best));
        }
    }
}
