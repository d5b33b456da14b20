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
    private final LocalShares localShares = new LocalShares();
    private Template template;
    private Sha256Hash best;
    private List<Tracker.Desired> desired = List.of();
    private long timer = -1;
    private final java.util.function.LongSupplier clock;

    /** A new work generation: miners need new jobs. {@code newBlock}: the previous block changed (old jobs are stale). */
    public record NewWork(long generation, boolean newBlock) {}

    private final List<Consumer<NewWork>> workListeners = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, Job> jobs = new java.util.HashMap<>();
    private final java.util.Random random = new java.util.Random();
    private long generation;
    private int localGenesis;
    private volatile Sha256Hash currentPrevious;
    private volatile p2pool4j.bitcoin.Address nodeAddress;
    private double feePercent;
    private int donation;
    private java.util.function.Supplier<String> readiness = () -> null;

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

    public void onNewWork(Consumer<NewWork> l) {
        workListeners.add(l);
    }

    /**
     * Work settings: the node's own payout address (miners without a valid one), the operator fee
     * (percent of jobs paying the node, as the reference's --fee), --give-author (percent of each
     * share donated), and a readiness check that names what is missing (null when ready).
     */
    public void configureWork(p2pool4j.bitcoin.Address address, double feePercent, double giveAuthorPercent,
            java.util.function.Supplier<String> readiness) {
        context.runOnContext(v -> {
            this.nodeAddress = address;
            this.feePercent = feePercent;
            this.donation = (int) Math.round(65535 * giveAuthorPercent / 100);
            this.readiness = readiness;
            newWork(false);
        });
    }

    /** The tip miners should be building on (any thread). */
    public Sha256Hash currentPrevious() {
        return currentPrevious;
    }

    /** The current work generation (any thread; approximate). */
    public long generation() {
        return generation;
    }

    private void newWork(boolean newBlock) {
        generation++;
        jobs.clear();
        NewWork w = new NewWork(generation, newBlock);
        workListeners.forEach(l -> l.accept(w));
    }

    /**
     * A job for a miner: pays the miner's address when it is valid for the share version being
     * produced (else the node's), or the node's with the fee's probability. Cached per work
     * generation, payout and share difficulty, so thousands of sessions share a few jobs.
     */
    public Future<Job> job(Username user) {
        return Future.future(p -> context.runOnContext(v -> {
            try {
                p.complete(makeJob(user));
            } catch (RuntimeException e) {
                p.fail(e);
            }
        }));
    }

    private Job makeJob(Username user) {
        String why = readiness.get();
        if (why != null) {
            throw new NotReadyException(why);
        }
        Template t = template;
        if (t == null) {
            throw new NotReadyException("waiting for a block template from bitcoind");
        }
        if (nodeAddress == null) {
            throw new NotReadyException("waiting for the node's payout address");
        }
        p2pool4j.sharechain.ChainShare bestShare = best == null ? null : tracker.get(best);
        p2pool4j.sharechain.ShareVersion version = p2pool4j.sharechain.VersionVote.versionToProduce(net, tracker, bestShare);
        String payout = random.nextDouble() * 100 < feePercent ? nodeAddress.text()
                : payable(user.address(), version) ? user.address() : nodeAddress.text();
        if (!payable(payout, version)) {
            throw new NotReadyException("the node's address " + payout + " cannot be paid by v" + version.number()
                    + " shares (a new chain starts at v17, which pays only P2PKH addresses)");
        }
        java.math.BigInteger desired = net.maxTarget();
        if (user.shareDifficulty() != null) {
            desired = p2pool4j.bitcoin.Targets.fromBdiff(user.shareDifficulty());
        }
        String key = payout + "|" + desired;
        Job cached = jobs.get(key);
        if (cached != null) {
            return cached;
        }
        long now = clock.getAsLong();
        byte[] height = p2pool4j.bitcoin.Script.pushNumber(t.height());
        byte[] tag = "/p2pool4j/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] aux = t.coinbaseAux();
        byte[] coinbase = new byte[Math.min(100, height.length + tag.length + aux.length)];
        java.nio.ByteBuffer cb = java.nio.ByteBuffer.wrap(new byte[height.length + tag.length + aux.length]).put(height).put(tag).put(aux);
        System.arraycopy(cb.array(), 0, coinbase, 0, coinbase.length);
        List<Sha256Hash> txids = new ArrayList<>();
        List<Sha256Hash> wtxids = new ArrayList<>();
        t.transactions().forEach(tx -> {
            txids.add(tx.txid());
            wtxids.add(tx.wtxid());
        });
        p2pool4j.sharechain.ShareProducer.Inputs in = new p2pool4j.sharechain.ShareProducer.Inputs(best, t.version(),
                t.previousBlockHash(), t.bits(), coinbase, payout, t.coinbaseValue(), donation, 0, desired, now, txids, wtxids,
                random.nextInt() & 0xffffffffL);
        Job job = new Job(generation, p2pool4j.sharechain.ShareProducer.prepare(net, tracker, in, version), t, payout, now);
        if (jobs.size() > 10_000) {
            jobs.clear();
        }
        jobs.put(key, job);
        return job;
    }

    /** True when {@code address} is a valid address of this network that shares of {@code version} can pay. */
    boolean payable(String address, p2pool4j.sharechain.ShareVersion version) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            p2pool4j.bitcoin.Address a = p2pool4j.bitcoin.Address.parse(address, net.chain());
            if (!version.carriesAddress()) {
                return a.kind() == p2pool4j.bitcoin.Address.Kind.P2PKH;
            }
            p2pool4j.sharechain.PayoutScripts.script(address, version.paddingFix(), net.chain());
            return true;
        } catch (p2pool4j.bitcoin.ParseException e) {
            return false;
        }
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
            timer = vertx.setPeriodic(THINK_MS, id -> housekeeping());
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
        return Future.future(p -> context.runOnContext(v -> p.complete(addOnContext(shares, source))));
    }

    /** Adds, stores and thinks; call only on the node's context. */
    private int addOnContext(List<Share> shares, Object source) {
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
        return fresh.size();
    }

    /** Shares a parent may have before our own further shares on it are dropped (the reference's rule for DOA shares). */
    static final int MAX_LOCAL_SIBLINGS = 4;

    /**
     * A share our miners found. Like the reference, it joins the tracker unless its parent already
     * has {@value #MAX_LOCAL_SIBLINGS} children (a burst of shares on one parent, e.g. on regtest,
     * where most hashes are shares, would otherwise fan the tracker out).
     */
    public void addLocalShare(Share share, String worker, boolean doa, boolean submittedAsBlock) {
        context.runOnContext(v -> {
            if (submittedAsBlock) {
                // Its block went to bitcoind: the share is that block's coinbase and must be in the chain.
                LOG.info("share {} by {} (a block)", share.hash(), worker);
                localShares.add(new LocalShares.Local(share.hash(), worker, doa, System.currentTimeMillis()));
                addOnContext(List.of(share), "local");
                return;
            }
            // A dead-on-arrival share whose parent already has a child can only be an orphan; on regtest, where
            // nearly every hash is a share, keeping such shares grows the tree wide instead of long.
            if (doa && share.previousHash() != null && tracker.childCount(share.previousHash()) > 0) {
                LOG.debug("dead-on-arrival share {} by {} dropped: its parent already has a child", share.hash(), worker);
                return;
            }
            if (share.previousHash() != null && tracker.childCount(share.previousHash()) >= MAX_LOCAL_SIBLINGS) {
                LOG.debug("share {} by {} dropped: its parent already has {} children", share.hash(), worker, MAX_LOCAL_SIBLINGS);
                return;
            }
            // A new chain genesis is useless once a chain exists, and a few are plenty while none does.
            if (share.previousHash() == null && (best != null || localGenesis >= MAX_LOCAL_SIBLINGS)) {
                LOG.debug("share {} by {} dropped: a new chain genesis while one exists", share.hash(), worker);
                return;
            }
            if (share.previousHash() == null) {
                localGenesis++;
            }
            LOG.info("share {} by {}{}", share.hash(), worker, doa ? " (dead on arrival)" : "");
            localShares.add(new LocalShares.Local(share.hash(), worker, doa, System.currentTimeMillis()));
            addOnContext(List.of(share), "local"); // in the same task as the check above, or a burst slips past it
        });
    }

    public void setTemplate(Template t) {
        context.runOnContext(v -> {
            Template old = template;
            template = t;
            currentPrevious = t.previousBlockHash();
            think();
            if (t.replaces(old)) {
                newWork(old == null || !old.previousBlockHash().equals(t.previousBlockHash()));
            }
        });
    }

    /** Shares our miners added since start. Call only on the node's context. */
    public LocalShares localShares() {
        return localShares;
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
    }

    /** Every few seconds, like the reference: think, then prune stale heads and old tails. */
    private void housekeeping() {
        think();
        List<Sha256Hash> pruned = tracker.prune(clock.getAsLong());
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
            newWork(false);
        }
    }
}
