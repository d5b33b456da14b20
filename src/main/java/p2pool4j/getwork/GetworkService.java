package p2pool4j.getwork;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import p2pool4j.util.LongSet;
import java.util.concurrent.atomic.AtomicLong;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ByteWriter;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.ParseException;
import p2pool4j.bitcoin.Sha256;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;
import p2pool4j.work.Job;
import p2pool4j.work.SubmitCheck;
import p2pool4j.work.SubmitResult;
import p2pool4j.work.Submissions;
import p2pool4j.work.Username;

/**
 * getwork as the seed P2Pool offered it (miner spec 2): every request gets distinct work (its own
 * last_txout_nonce, so the merkle root identifies it for 300 s), submissions are found by merkle
 * root, and long polls are held until the node has new work. Shared by every worker-port
 * instance (a rig's next request may land on another event loop), so its state is guarded by
 * this object's lock; held long polls are answered on their own connection's context.
 */
public final class GetworkService {
    static final long WORK_TTL_MS = 300_000;
    static final int MAX_ISSUED = 100_000;
    static final long ROLL_NTIME_SECONDS = 100;
    static final long LONG_POLL_MAX_MS = 20 * 60_000;
    static final int MAX_LONG_POLLS_PER_IP = 16;
    static final String HASH1 = "00000000000000000000000000000000000000000000000000000000000000000000008000000000000000000000000000000000000000000000000000010000";
    private static final String PADDING = "000000800000000000000000000000000000000000000000000000000000000000000000000000000000000080020000";

    /** Submits remembered per unit of work for duplicate detection; a rig finds a handful in a work's lifetime. */
    static final int MAX_SUBMITS_PER_WORK = 64;

    /** Work handed out: its {@code seen} set is only touched under the service's lock. */
    record Issued(Job job, long lastTxoutNonce, Username user, double difficulty, long issuedMillis, LongSet seen) {}

    /** A held long poll: answered with fresh work on the next new-work event. */
    interface Waiter {
        /** Called on any thread; the connection hops to its own context. */
        void release();
    }

    private final Vertx vertx;
    private final Submissions submissions;
    private final String stratumUrl;
    private final AtomicLong nonces = new AtomicLong(System.nanoTime());
    private final Map<Sha256Hash, Issued> issued = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Sha256Hash, Issued> e) {
            return size() > MAX_ISSUED || System.currentTimeMillis() - e.getValue().issuedMillis() > WORK_TTL_MS;
        }
    };
    private final List<Waiter> waiters = new ArrayList<>();
    private final Map<String, Integer> waitersPerIp = new HashMap<>();
    private final Map<String, Long> lastGenerationSeen = p2pool4j.util.Lru.map(10_000, true);
    /** Pseudo-share difficulty per getwork worker, aimed like Stratum's at one submit per target interval. */
    private final Map<String, p2pool4j.work.Vardiff> vardiffs = p2pool4j.util.Lru.map(10_000, true);
    private final double startDifficulty;
    private final double minDifficulty;
    private final double maxDifficulty;
    private final double targetSeconds;

    public GetworkService(Vertx vertx, Submissions submissions, String stratumUrl, double startDifficulty, double minDifficulty,
            double maxDifficulty, double targetSeconds) {
        this.vertx = vertx;
        this.submissions = submissions;
        this.stratumUrl = stratumUrl;
        this.startDifficulty = startDifficulty;
        this.minDifficulty = minDifficulty;
        this.maxDifficulty = maxDifficulty;
        this.targetSeconds = targetSeconds;
    }

    Vertx vertx() {
        return vertx;
    }

    Submissions submissions() {
        return submissions;
    }

    private final java.util.concurrent.atomic.AtomicLong badRequests = new java.util.concurrent.atomic.AtomicLong();

    /** Counts an HTTP request on the worker port refused as malformed (any thread). */
    void badRequest() {
        badRequests.incrementAndGet();
    }

    /** HTTP requests on the worker port refused as malformed. */
    public long badRequests() {
        return badRequests.get();
    }

    /** An answer of the web server, relayed on the worker port. */
    public record WebReply(int status, String contentType, io.vertx.core.buffer.Buffer body) {}

    private volatile java.util.function.Function<String, io.vertx.core.Future<WebReply>> web;

    /** Where GET requests for other paths than getwork's go (the reference serves its JSON API on this port). */
    public void web(java.util.function.Function<String, io.vertx.core.Future<WebReply>> fetch) {
        this.web = fetch;
    }

    java.util.function.Function<String, io.vertx.core.Future<WebReply>> web() {
        return web;
    }

    String stratumUrl() {
        return stratumUrl;
    }

    private long releasedGeneration = -1;

    /** Releases every held long poll once per work generation (every worker-port instance reports each one). */
    public void newWork(long generation) {
        List<Waiter> now;
        synchronized (this) {
            if (generation == releasedGeneration) {
                return;
            }
            releasedGeneration = generation;
            now = new ArrayList<>(waiters);
            waiters.clear();
            waitersPerIp.clear();
        }
        now.forEach(Waiter::release);
    }

    public void stop() {
        List<Waiter> now;
        synchronized (this) {
            now = new ArrayList<>(waiters);
            waiters.clear();
            waitersPerIp.clear();
        }
        now.forEach(Waiter::release);
    }

    synchronized boolean hold(String ip, Waiter w) {
        int n = waitersPerIp.getOrDefault(ip, 0);
        if (n >= MAX_LONG_POLLS_PER_IP) {
            return false;
        }
        waitersPerIp.put(ip, n + 1);
        waiters.add(w);
        return true;
    }

    synchronized void forget(String ip, Waiter w) {
        if (waiters.remove(w)) {
            waitersPerIp.computeIfPresent(ip, (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    /** True when the client already missed a work change since its last answer (answer its long poll at once). */
    synchronized boolean missedWork(String clientKey) {
        Long seen = lastGenerationSeen.get(clientKey);
        return seen != null && seen != submissions.node().snapshot().generation();
    }

    synchronized void saw(String clientKey, long generation) {
        lastGenerationSeen.put(clientKey, generation);
    }

    double difficultyFor(Username user, Job job) {
        return Math.min(pseudoDifficulty(user, System.currentTimeMillis()), Targets.bdiff(job.shareTarget()));
    }

    /** The worker's pseudo-share difficulty now: pinned (+N, d=N), else its vardiff's (which lowers it after a quiet minute). */
    synchronized double pseudoDifficulty(Username user, long nowMs) {
        if (user.pseudoDifficulty() != null) {
            return user.pseudoDifficulty();
        }
        p2pool4j.work.Vardiff v = vardiff(user, nowMs);
        v.onTick(nowMs);
        return v.difficulty();
    }

    /** An accepted pseudo-share: the worker's rate, for its vardiff (a pinned difficulty never moves). */
    synchronized void credit(Username user, long nowMs) {
        if (user.pseudoDifficulty() == null) {
            vardiff(user, nowMs).onShare(nowMs);
        }
    }

    private p2pool4j.work.Vardiff vardiff(Username user, long nowMs) {
        return vardiffs.computeIfAbsent(user.workerKey(),
                k -> new p2pool4j.work.Vardiff(startDifficulty, minDifficulty, maxDifficulty, targetSeconds, nowMs));
    }

    /** The getwork result object for a fresh unit of work. */
    JsonObject issue(Job job, Username user) {
        long lastTxoutNonce = nonces.incrementAndGet();
        Sha256Hash root = job.share().merkleRoot(lastTxoutNonce);
        BlockHeader header = new BlockHeader(job.version(), job.previousBlock(), root, job.ntime(), job.bits(), 0);
        double diff = difficultyFor(user, job);
        synchronized (this) {
            issued.put(root, new Issued(job, lastTxoutNonce, user, diff, System.currentTimeMillis(), new LongSet(MAX_SUBMITS_PER_WORK)));
        }
        return encode(header, Targets.fromBdiff(diff)).put("identifier", Long.toString(job.generation())).put("submitold", true);
    }

    /** data / target / midstate / hash1 of a header with nonce 0 and a share target (miner spec 2.2). */
    static JsonObject encode(BlockHeader header, BigInteger target) {
        byte[] h = header.serialize();
        byte[] t = new ByteWriter(32).uintLE(target.min(Targets.MAX_256), 32).toByteArray();
        return new JsonObject()
                .put("data", Hex.encode(p2pool4j.bitcoin.WordSwap.swap4(h)) + PADDING)
                .put("target", Hex.encode(t))
                .put("midstate", Hex.encode(new Sha256().update(h, 0, 64).stateLittleEndianWords()))
                .put("hash1", HASH1);
    }

    /** A submitted data string: the outcome, or a rejection reason for X-Reject-Reason. */
    record Verdict(boolean accepted, String reason) {}

    Verdict submit(String dataHex, String userAgent) {
        BlockHeader header;
        try {
            header = RpcRequest.header(dataHex);
        } catch (ParseException e) {
            return new Verdict(false, "invalid data");
        }
        Issued w;
        synchronized (this) {
            w = issued.get(header.merkleRoot());
        }
        if (w == null) {
            submissions.rejected(null, SubmitResult.UNKNOWN_JOB, userAgent);
            return new Verdict(false, "unknown work");
        }
        Job job = w.job();
        if (!header.previousBlock().equals(job.previousBlock()) || header.bits() != job.bits()) {
            submissions.rejected(w.user(), SubmitResult.MALFORMED, userAgent);
            return new Verdict(false, "header fields changed");
        }
        long maxTime = job.ntime() + ROLL_NTIME_SECONDS + (System.currentTimeMillis() - w.issuedMillis()) / 1000;
        if (header.time() < job.ntime() || header.time() > maxTime) {
            submissions.rejected(w.user(), SubmitResult.BAD_NTIME, userAgent);
            return new Verdict(false, "ntime out of range");
        }
        LongSet.Added added;
        synchronized (this) {
            added = w.seen().add(LongSet.key(((long) header.nonce() << 32) | header.time(), header.version()));
        }
        if (added == LongSet.Added.PRESENT) {
            submissions.rejected(w.user(), SubmitResult.DUPLICATE, userAgent);
            return new Verdict(false, "duplicate");
        }
        if (added == LongSet.Added.FULL) {
            submissions.rejected(w.user(), SubmitResult.TOO_MANY_SUBMITS, userAgent);
            return new Verdict(false, "too many submits for this work; ask for new work");
        }
        byte[] extranonce = new ByteWriter(8).u64le(w.lastTxoutNonce()).toByteArray();
        BigInteger target = Targets.fromBdiff(w.difficulty());
        SubmitCheck.Outcome o = SubmitCheck.check(job, extranonce, header.version(), header.time(), header.nonce(), target,
                submissions.node().snapshot());
        submissions.apply(job, o, w.user(), w.difficulty(), userAgent);
        if (o.result().accepted()) {
            credit(w.user(), System.currentTimeMillis());
        }
        return o.result().accepted() ? new Verdict(true, null)
                : new Verdict(false, o.result() == SubmitResult.STALE ? "stale" : "low difficulty");
    }

}
