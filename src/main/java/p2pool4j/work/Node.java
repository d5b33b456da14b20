package p2pool4j.work;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.ChainLoader;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.Tracker;
import p2pool4j.sharechain.ShareVersion;
import p2pool4j.util.Hop;
import p2pool4j.util.Listeners;
import p2pool4j.util.Lru;

/**
 * The single writer of the sharechain tracker, the current block template and the job cache.
 * Created by {@link NodeVerticle} and confined to its context: every method that changes or reads
 * that state hops there. After every change it publishes an immutable {@link NodeSnapshot} that
 * every other verticle reads without asking; new work is announced to each subscriber on the
 * subscriber's own context. Queries that need the tracker itself go through {@link #read}, which
 * runs the query on the node's context and answers on the caller's.
 */
public final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    static final long THINK_MS = 5_000;
    /** Job keys remembered from one generation to the next, built before the new work is announced. */
    static final int PREBUILT_KEYS = 1_000;
    /** Jobs published in one snapshot; beyond it a job is built per request (never for a realistic LAN). */
    static final int MAX_JOBS = 10_000;

    /** A share the tracker refused, with where it came from, for the peer layer to ban. */
    public record Refused(Sha256Hash hash, Object source, String reason) {}

    /**
     * The node's state as a query sees it: valid only inside the function given to {@link #read},
     * which runs on the node's context. Never keep it.
     */
    public record State(Tracker tracker, Sha256Hash best, Template template, LocalShares localShares) {}

    /** What a job is built for: its payout address and the share target its user asked for; {@code key} names it. */
    private record JobSpec(String payout, BigInteger desiredTarget, String key) {
        JobSpec(String payout, BigInteger desiredTarget) {
            this(payout, desiredTarget, jobKey(payout, desiredTarget));
        }
    }

    /** What decides a miner's JobSpec: the same for every session of a rig, so it is worked out once (any thread). */
    private record SpecKey(String address, Double shareDifficulty, ShareVersion version, String nodeAddress, boolean fee) {}

    private static final int MAX_SPECS = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<SpecKey, JobSpec> specs = new java.util.concurrent.ConcurrentHashMap<>();

    private final Vertx vertx;
    private final Context context;
    private final Thread owner;
    private final P2poolNetwork net;
    private final ChainStore store;
    private final Listeners<Sha256Hash> bestListeners = new Listeners<>();
    private final Listeners<Refused> refusedListeners = new Listeners<>();
    private final Listeners<NodeSnapshot> workListeners = new Listeners<>();
    private Tracker tracker;
    private final LocalShares localShares = new LocalShares();
    private Template template;
    private Sha256Hash best;
    private List<Tracker.Desired> desired = List.of();
    private long timer = -1;
    private final java.util.function.LongSupplier clock;

    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, JobSpec> wanted = Lru.map(PREBUILT_KEYS, true);
    private final java.util.Random random = new java.util.Random();
    private long generation;
    private boolean newBlock;
    private int localGenesis;
    private p2pool4j.bitcoin.Address nodeAddress;
    private double feePercent;
    private int donation;
    private java.util.function.Supplier<String> readiness = () -> null;
    private volatile NodeSnapshot snapshot = NodeSnapshot.EMPTY;

    public Node(Vertx vertx, P2poolNetwork net, ChainStore store) {
        this(vertx, net, store, () -> System.currentTimeMillis() / 1000);
    }

    /**
     * Call on the context the node is to own (its verticle's).
     *
     * @param clock seconds since the epoch; tests replaying old chains pass their own
     */
    public Node(Vertx vertx, P2poolNetwork net, ChainStore store, java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.owner = Thread.currentThread();
        this.net = net;
        this.store = store;
        this.tracker = new Tracker(net);
    }

    public P2poolNetwork net() {
        return net;
    }

    /** The latest published state (any thread). */
    public NodeSnapshot snapshot() {
        return snapshot;
    }

    /** New best shares, delivered on the subscriber's context. */
    public void onBestShare(Consumer<Sha256Hash> l) {
        bestListeners.add(l);
    }

    public void onRefused(Consumer<Refused> l) {
        refusedListeners.add(l);
    }

    /** Every new work generation (the snapshot that carries it), delivered on the subscriber's context. */
    public void onNewWork(Consumer<NodeSnapshot> l) {
        workListeners.add(l);
    }

    /** Runs a query on the node's context; the answer arrives on the caller's context. */
    public <T> Future<T> read(java.util.function.Function<State, T> query) {
        return Hop.to(context, () -> query.apply(new State(tracker, best, template, localShares)));
    }

    /**
     * Work settings: the node's own payout address (miners without a valid one), the operator fee
     * (percent of jobs paying the node, as the reference's --fee), --give-author (percent of each
     * share donated), and a readiness check that names what is missing (null when ready; called
     * on the node's context).
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

    /**
     * New best shares re-announce work at most this often. On a real network shares come seconds
     * apart and this never delays anything; on regtest, where nearly every hash is a share, it
     * keeps miners from getting thousands of jobs a second (each one pushing their recent jobs out
     * of the session's history and turning honest work into "Job not found").
     */
    static final long MIN_SHARE_WORK_MS = 100;
    private long lastWorkNanos;
    private long pendingWork = -1;

    /** New work for a P2Pool-only change (a new best share): at once, unless work went out less than 100 ms ago. */
    private void shareWork() {
        long sinceMs = (System.nanoTime() - lastWorkNanos) / 1_000_000;
        if (sinceMs >= MIN_SHARE_WORK_MS) {
            newWork(false);
        } else if (pendingWork < 0) {
            pendingWork = vertx.setTimer(MIN_SHARE_WORK_MS - sinceMs, id -> {
                pendingWork = -1;
                newWork(false);
            });
        }
    }

    private final LocalRates localRates = new LocalRates(System.currentTimeMillis());
    private ShareTargetPolicy.Targets256 shareTargets = ShareTargetPolicy.Targets256.NONE;

    /** Local miners' rates, fed by every accepted pseudo-share (any thread). */
    public LocalRates localRates() {
        return localRates;
    }

    private ShareTargetPolicy.Inputs sharePolicyInputs() {
        Template t = template;
        if (t == null) {
            return ShareTargetPolicy.Inputs.NONE;
        }
        long nowMs = System.currentTimeMillis();
        int height = best == null ? 0 : tracker.height(best);
        double poolRate = ChainStats.attemptsPerSecond(tracker, best, Math.min(height - 1, ShareTargetPolicy.LOOKBEHIND));
        return new ShareTargetPolicy.Inputs(localRates.total(nowMs), localRates.byAddress(nowMs), poolRate, height, t.target(),
                t.coinbaseValue(), donation * 100.0 / 65535, net.chain().dustThreshold());
    }

    /** The stale_info this generation's jobs carry ({@link LocalShares#staleInfo}). */
    private int staleInfo;

    private void newWork(boolean blockChanged) {
        if (pendingWork >= 0) {
            vertx.cancelTimer(pendingWork); // this announcement covers it
            pendingWork = -1;
        }
        lastWorkNanos = System.nanoTime();
        generation++;
        // Once per generation, not per job: it walks the best chain and our shares.
        staleInfo = localShares.staleInfo(tracker, best);
        shareTargets = ShareTargetPolicy.targets(sharePolicyInputs(), net);
        newBlock = blockChanged;
        jobs.clear();
        publish();
        if (snapshot.notReady() == null) {
            // The jobs last generation's miners asked for, built once here rather than once per session.
            for (JobSpec spec : List.copyOf(wanted.values())) {
                if (jobs.size() >= MAX_JOBS) {
                    break;
                }
                try {
                    build(spec);
                } catch (RuntimeException e) {
                    LOG.debug("job for {} not prebuilt: {}", spec.payout(), e.toString());
                }
            }
            snapshot = snapshot.withJobs(Map.copyOf(jobs));
        }
        snapshot = snapshot.announced(System.nanoTime());
        workListeners.publish(snapshot);
    }

    /** The debug-mode guard of this class's confinement (tests run with -ea). */
    private boolean onContext() {
        return Thread.currentThread() == owner; // an event-loop context keeps one thread (its timers may run on a duplicate)
    }

    /** Replaces the snapshot from the current state (jobs included). Node context only. */
    private void publish() {
        assert onContext() : "node state touched off the node's context";
        String why = readiness.get();
        if (why == null && template == null) {
            why = "waiting for a block template from bitcoind";
        }
        if (why == null && nodeAddress == null) {
            why = "waiting for the node's payout address";
        }
        p2pool4j.sharechain.ChainShare bestShare = best == null ? null : tracker.get(best);
        ShareVersion version = p2pool4j.sharechain.VersionVote.versionToProduce(net, tracker, bestShare);
        snapshot = new NodeSnapshot(generation, newBlock, template == null ? null : template.previousBlockHash(), best,
                best == null ? 0 : tracker.height(best), tracker.size(), version, why,
                nodeAddress == null ? null : nodeAddress.text(), feePercent, template, tracker.minimumProtocolVersion(),
                List.copyOf(desired), Map.copyOf(jobs), snapshot.announcedNanos(), shareTargets, tipTemplatesView);
    }

    /** The cache key of a job: one per payout address and share target per work generation. */
    static String jobKey(String payout, BigInteger desiredTarget) {
        return payout + "|" + desiredTarget.toString(16);
    }

    /**
     * A job for a miner, on the caller's context: from the snapshot when this generation already
     * has one for the miner's payout and share target (the common case, no hop), else built on
     * the node. Pays the miner's address when it is valid for the share version being produced
     * (else the node's), or the node's with the fee's probability.
     */
    public Future<Job> job(Username user) {
        NodeSnapshot s = snapshot;
        if (s.notReady() != null) {
            return Future.failedFuture(new NotReadyException(s.notReady()));
        }
        JobSpec spec = spec(s, user);
        Job ready = s.jobs().get(spec.key());
        if (ready != null) {
            return Future.succeededFuture(ready);
        }
        return Hop.to(context, () -> jobHere(spec));
    }

    private JobSpec spec(NodeSnapshot s, Username user) {
        boolean fee = s.feePercent() > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() * 100 < s.feePercent();
        SpecKey k = new SpecKey(user.address(), user.shareDifficulty(), s.shareVersion(), s.nodeAddress(), fee);
        JobSpec cached = specs.get(k);
        if (cached != null && (user.shareDifficulty() != null
                || cached.desiredTarget().equals(s.shareTargets().target(cached.payout(), net.maxTarget())))) {
            return cached; // the policy's target moves only when a rate does (rounded to 4 bits): usually the same object
        }
        String payout = cached != null ? cached.payout()
                : fee ? s.nodeAddress() : payable(user.address(), s.shareVersion()) ? user.address() : s.nodeAddress();
        BigInteger desired = user.shareDifficulty() != null ? p2pool4j.bitcoin.Targets.fromBdiff(user.shareDifficulty())
                : s.shareTargets().target(payout, net.maxTarget());
        JobSpec spec = new JobSpec(payout, desired);
        if (specs.size() >= MAX_SPECS) {
            specs.clear(); // a stranger's thousands of usernames cost a recomputation, never memory
        }
        specs.put(k, spec);
        return spec;
    }

    private Job jobHere(JobSpec spec) {
        publish(); // readiness may have changed since the last snapshot
        if (snapshot.notReady() != null) {
            throw new NotReadyException(snapshot.notReady());
        }
        String key = spec.key();
        wanted.put(key, spec);
        Job job = jobs.get(key);
        if (job == null) {
            job = build(spec);
            snapshot = snapshot.withJobs(Map.copyOf(jobs));
        }
        return job;
    }

    /** Builds a job for this generation and caches it. Node context only. */
    private Job build(JobSpec spec) {
        assert onContext() : "node state touched off the node's context";
        Template t = template;
        p2pool4j.sharechain.ChainShare bestShare = best == null ? null : tracker.get(best);
        ShareVersion version = p2pool4j.sharechain.VersionVote.versionToProduce(net, tracker, bestShare);
        if (!payable(spec.payout(), version)) {
            throw new NotReadyException("the node's address " + spec.payout() + " cannot be paid by v" + version.number()
                    + " shares (a new chain starts at v17, which pays only P2PKH addresses)");
        }
        long now = clock.getAsLong();
        byte[] height = p2pool4j.bitcoin.Script.pushNumber(t.height());
        byte[] tag = "/p2pool4j/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] aux = t.coinbaseAux();
        byte[] coinbase = new byte[Math.min(100, height.length + tag.length + aux.length)];
        java.nio.ByteBuffer cb = java.nio.ByteBuffer.wrap(new byte[height.length + tag.length + aux.length]).put(height).put(tag).put(aux);
        System.arraycopy(cb.array(), 0, coinbase, 0, coinbase.length);
        p2pool4j.sharechain.ShareProducer.Inputs in = new p2pool4j.sharechain.ShareProducer.Inputs(best, t.version(),
                t.previousBlockHash(), t.bits(), coinbase, spec.payout(), t.coinbaseValue(), donation, staleInfo, spec.desiredTarget(), now,
                blockTxs(t), random.nextInt() & 0xffffffffL);
        Job job = Job.of(generation, p2pool4j.sharechain.ShareProducer.prepare(net, tracker, in, version), templateSerial, t,
                spec.payout(), now);
        if (jobs.size() < MAX_JOBS) {
            jobs.put(spec.key(), job);
        }
        return job;
    }

    private Template blockTxsOf;
    private p2pool4j.sharechain.BlockTxs blockTxs;

    /** The template's ids and merkle data, worked out once per template for all of its jobs. */
    private p2pool4j.sharechain.BlockTxs blockTxs(Template t) {
        if (t != blockTxsOf) {
            List<Sha256Hash> txids = new ArrayList<>(t.transactions().size());
            List<Sha256Hash> wtxids = new ArrayList<>(t.transactions().size());
            t.transactions().forEach(tx -> {
                txids.add(tx.txid());
                wtxids.add(tx.wtxid());
            });
            blockTxs = p2pool4j.sharechain.BlockTxs.of(txids, wtxids);
            blockTxsOf = t;
        }
        return blockTxs;
    }

    /** True when {@code address} is a valid address of this network that shares of {@code version} can pay. */
    boolean payable(String address, ShareVersion version) {
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

    /** A fast start: the stored shares parsed (on every core) and the tracker built trusting the store's verified marks. */
    private record FastLoad(ChainLoader.Loaded loaded, List<ChainLoader.Parsed> parsed, java.util.Set<Sha256Hash> trusted) {}

    private final io.vertx.core.Promise<Void> fullyVerified = io.vertx.core.Promise.promise();
    /** Shares whose verified mark is in the store (so housekeeping writes only new marks). */
    private final java.util.Set<Sha256Hash> markedVerified = new java.util.HashSet<>();

    /**
     * Loads the stored chain and serves work from it at once, trusting the shares the store marks
     * verified; the whole chain is then verified again in the background, and shares that fail
     * (a damaged or edited database) are dropped, with the chain re-chosen without them. Starts
     * thinking every few seconds. Call on the node's context.
     */
    public Future<Void> start() {
        long now = clock.getAsLong();
        Future<List<ChainStore.StoredShare>> stored = store == null ? Future.succeededFuture(List.of())
                : Future.fromCompletionStage(store.loadShares(), context);
        return stored.compose(rows -> vertx.executeBlocking(() -> fastLoad(rows, now), false)).compose(fast -> Hop.to(context, () -> {
            ChainLoader.Loaded loaded = fast.loaded();
            tracker = loaded.tracker();
            markedVerified.addAll(fast.trusted());
            if (loaded.unreadable() > 0) {
                LOG.warn("sharechain: {} stored shares could not be read and were skipped (first: {})", loaded.unreadable(),
                        loaded.problems().isEmpty() ? "?" : loaded.problems().get(0).getMessage());
            }
            apply(loaded.decision());
            publish();
            LOG.info("sharechain: {} shares loaded from disk ({} trusted until re-verified), best {} (height {})", loaded.loaded(),
                    fast.trusted().size(), best == null ? "none" : best, best == null ? 0 : tracker.height(best));
            timer = vertx.setPeriodic(THINK_MS, id -> housekeeping());
            reverify(fast, now);
            return null;
        }));
    }

    /** Completes once the stored chain has been fully verified after start (and anything bad in it dropped). */
    public Future<Void> fullyVerified() {
        return fullyVerified.future();
    }

    private FastLoad fastLoad(List<ChainStore.StoredShare> rows, long now) {
        // Parsing is independent per share: on every core (the caller is a worker thread, not an event loop).
        List<Object> parsed = rows.parallelStream().map(r -> {
            try {
                return (Object) new ChainLoader.Parsed(Share.load(net, r.type(), r.contents()), r.timeSeen(), r.verified());
            } catch (p2pool4j.sharechain.ShareException e) {
                return e;
            }
        }).toList();
        List<ChainLoader.Parsed> ok = new ArrayList<>(parsed.size());
        List<p2pool4j.sharechain.ShareException> problems = new ArrayList<>();
        int unreadable = 0;
        java.util.Set<Sha256Hash> trusted = new java.util.HashSet<>();
        for (Object o : parsed) {
            if (o instanceof ChainLoader.Parsed p) {
                ok.add(p);
                if (p.verifiedMark()) {
                    trusted.add(p.share().hash());
                }
            } else {
                unreadable++;
                if (problems.size() < 10) {
                    problems.add((p2pool4j.sharechain.ShareException) o);
                }
            }
        }
        return new FastLoad(ChainLoader.loadTrusted(net, ok, unreadable, problems, now, h -> 0), ok, trusted);
    }

    /** Verifies the stored chain in full on a worker thread; drops trusted shares that fail. */
    private void reverify(FastLoad fast, long now) {
        if (fast.trusted().isEmpty()) {
            fullyVerified.tryComplete();
            return;
        }
        long t0 = System.nanoTime();
        // The same parsed (immutable) shares, into a tracker of its own that trusts nothing.
        vertx.executeBlocking(() -> ChainLoader.loadParsed(net, fast.parsed(), 0, List.of(), now, h -> 0, false), false).compose(full -> Hop.to(context, () -> {
            java.util.Set<Sha256Hash> refused = new java.util.HashSet<>();
            for (Sha256Hash h : fast.trusted()) {
                if (!full.tracker().contains(h)) {
                    refused.add(h);
                }
            }
            if (refused.isEmpty()) {
                LOG.info("sharechain: stored chain re-verified in {} ms, all {} trusted shares valid", (System.nanoTime() - t0) / 1_000_000,
                        fast.trusted().size());
                return null;
            }
            LOG.warn("sharechain: {} stored shares failed verification (the database was damaged or edited); they are dropped and"
                    + " the best chain is chosen again without them", refused.size());
            Tracker fresh = full.tracker();
            for (p2pool4j.sharechain.ChainShare s : tracker.shares()) {
                Sha256Hash h = s.hash();
                if (!fresh.contains(h) && !refused.contains(h) && !fast.trusted().contains(h)) {
                    fresh.add(s, tracker.timeSeen(h), tracker.source(h)); // learnt since the start
                }
            }
            tracker = fresh;
            markedVerified.removeAll(refused);
            best = null;
            think(); // a new best share announces new work itself
            if (best == null) {
                newWork(false);
            }
            publish();
            if (store != null) {
                store.remove(refused);
            }
            return null;
        })).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("sharechain: background verification failed: {}", ar.cause().toString());
            }
            fullyVerified.tryComplete();
        });
    }

    /** Writes the verified marks the tracker earned since the last call. Node context only. */
    private void persistVerifiedMarks() {
        if (store == null) {
            return;
        }
        List<Sha256Hash> fresh = new ArrayList<>();
        for (p2pool4j.sharechain.ChainShare s : tracker.shares()) {
            if (tracker.isVerified(s.hash()) && markedVerified.add(s.hash())) {
                fresh.add(s.hash());
            }
        }
        if (!fresh.isEmpty()) {
            store.markVerified(fresh).exceptionally(err -> {
                LOG.debug("could not store verified marks: {}", err.toString());
                context.runOnContext(v -> fresh.forEach(markedVerified::remove)); // again at the next housekeeping
                return null;
            });
        }
    }

    /** Shares the store refused (a full disk): kept, within the chain's own bound, and written again at housekeeping. */
    private final java.util.LinkedHashMap<Sha256Hash, Share> unstored = new java.util.LinkedHashMap<>();
    private long unstoredSince;

    private void store(List<Share> shares, long now) {
        store.add(shares, now).exceptionally(err -> {
            LOG.debug("could not store {} shares: {}", shares.size(), err.toString());
            context.runOnContext(v -> {
                for (Share s : shares) {
                    if (unstored.size() < 4 * net.chainLength() + 1000) {
                        unstored.put(s.hash(), s);
                    }
                }
                if (unstoredSince == 0) {
                    unstoredSince = now;
                }
            });
            return 0;
        });
    }

    /** At housekeeping: the shares the store refused before, if they are still in the chain. */
    private void storeAgain() {
        if (unstored.isEmpty() || store == null) {
            return;
        }
        List<Share> again = new ArrayList<>();
        for (Share s : unstored.values()) {
            if (tracker.contains(s.hash())) {
                again.add(s);
            }
        }
        unstored.clear();
        long since = unstoredSince;
        unstoredSince = 0;
        if (!again.isEmpty()) {
            store(again, since);
        }
    }

    /** Call on the node's context (its verticle's stop): the last verified marks are queued for the store. */
    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (pendingWork >= 0) {
            vertx.cancelTimer(pendingWork);
        }
        if (onContext()) {
            persistVerifiedMarks();
        }
    }

    /** Shares from a peer or our miners; answers, on the caller's context, how many were new (they are stored). */
    public Future<Integer> addShares(List<Share> shares, Object source) {
        return Hop.to(context, () -> addOnContext(shares, source));
    }

    /** Adds, stores and thinks. Node context only. */
    private int addOnContext(List<Share> shares, Object source) {
        assert onContext() : "node state touched off the node's context";
        long now = clock.getAsLong();
        List<Share> fresh = new ArrayList<>();
        for (Share s : shares) {
            if (tracker.add(s, now, source)) {
                fresh.add(s);
            }
        }
        if (!fresh.isEmpty() && store != null) {
            store(fresh, now);
        }
        if (!fresh.isEmpty()) {
            think();
            publish();
        }
        return fresh.size();
    }

    /** Shares a parent may have before our own further shares on it are dropped (the reference's rule for DOA shares). */
    static final int MAX_LOCAL_SIBLINGS = 4;

    /**
     * A share our miners found (any thread). Like the reference, it joins the tracker unless its
     * parent already has {@value #MAX_LOCAL_SIBLINGS} children (a burst of shares on one parent,
     * e.g. on regtest, where most hashes are shares, would otherwise fan the tracker out).
     */
    public void addLocalShare(Share share, String worker, boolean doa, boolean submittedAsBlock) {
        context.runOnContext(v -> {
            if (submittedAsBlock) {
                // Its block went to bitcoind: the share is that block's coinbase and must be in the chain.
                LOG.info("share {} by {} (a block)", share.hash(), worker);
                localShares.add(new LocalShares.Local(share.hash(), worker, doa, System.currentTimeMillis(),
                        share.staleInfo()));
                addOnContext(List.of(share), "local");
                return;
            }
            // A dead-on-arrival share whose parent already has a child can only be an orphan; on regtest, where
            // nearly every hash is a share, keeping such shares grows the tree wide instead of long.
            if (doa && share.previousHash() != null && tracker.childCount(share.previousHash()) > 0) {
                LOG.debug("dead-on-arrival share {} by {} dropped: its parent already has a child", share.hash(), worker);
                localShares.droppedDeadOnArrival(); // still lost work: counted as dead, announced by a later share
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
            localShares.add(new LocalShares.Local(share.hash(), worker, doa, System.currentTimeMillis(),
                        share.staleInfo()));
            addOnContext(List.of(share), "local"); // in the same task as the check above, or a burst slips past it
        });
    }

    /** A new block template from bitcoind (any thread). */
    public void setTemplate(Template t) {
        context.runOnContext(v -> {
            Template old = template;
            template = t;
            keepOnTip(old, t);
            blockHeights.known(t.previousBlockHash(), (int) t.height() - 1);
            think();
            if (t.replaces(old)) {
                newWork(old == null || !old.previousBlockHash().equals(t.previousBlockHash()));
            } else {
                publish();
            }
        });
    }

    /**
     * Templates on the current tip kept for the blocks their jobs may find: the newest
     * {@value #TIP_TEMPLATES} (16 minutes of 15-s refreshes; a session's jobs are the last 16 work
     * generations and getwork's expire in 5 minutes). They share most transactions (TemplateParser),
     * so this costs about one template. A new tip drops them all: a block on the old one would be stale.
     */
    static final int TIP_TEMPLATES = 64;
    private final java.util.LinkedHashMap<Long, Template> tipTemplates = new java.util.LinkedHashMap<>();
    private Map<Long, Template> tipTemplatesView = Map.of();
    private long templateSerial;

    private void keepOnTip(Template old, Template t) {
        if (old != null && !old.previousBlockHash().equals(t.previousBlockHash())) {
            tipTemplates.clear();
        }
        tipTemplates.put(++templateSerial, t);
        while (tipTemplates.size() > TIP_TEMPLATES) {
            tipTemplates.remove(tipTemplates.keySet().iterator().next());
        }
        tipTemplatesView = Map.copyOf(tipTemplates);
    }

    private final BlockHeights blockHeights = new BlockHeights();
    private boolean thinkQueued;

    /**
     * Where the heights of shares' parent blocks come from (bitcoind's getblockheader). Any thread;
     * each height that arrives makes the node think again (coalesced).
     */
    public void blockHeightSource(BlockHeights.Source source) {
        context.runOnContext(v -> blockHeights.source(source, context, () -> {
            if (!thinkQueued) {
                thinkQueued = true;
                vertx.setTimer(50, id -> {
                    thinkQueued = false;
                    think();
                });
            }
        }));
    }

    private void think() {
        long now = clock.getAsLong();
        Template t = template;
        Tracker.Decision d = tracker.think(now, blockHeights::relative);
        apply(d);
    }

    /** Every few seconds, like the reference: think, then prune stale heads and old tails; readiness is re-read. */
    private void housekeeping() {
        think();
        List<Sha256Hash> pruned = tracker.prune(clock.getAsLong());
        if (!pruned.isEmpty() && store != null) {
            store.remove(pruned);
            pruned.forEach(markedVerified::remove);
        }
        storeAgain();
        persistVerifiedMarks();
        String before = snapshot.notReady();
        publish();
        if (before != null && snapshot.notReady() == null) {
            newWork(false); // miners waiting for work get it now
        }
    }

    private void apply(Tracker.Decision d) {
        desired = d.desired();
        for (Tracker.Bad b : d.bad()) {
            LOG.warn("share {} refused: {}", b.hash(), b.reason().getMessage());
            refusedListeners.publish(new Refused(b.hash(), b.source(), b.reason().rejection().code()));
        }
        if (d.best() != null && !d.best().equals(best)) {
            best = d.best();
            bestListeners.publish(best);
            shareWork();
        }
    }
}
