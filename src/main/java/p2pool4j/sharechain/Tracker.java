package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * All known shares as a forest (protocol spec 12): heads (no known child), tails (the unknown
 * parent of a chain, or genesis), the verified sub-forest, the best share, and what to download.
 * Pure and single-threaded: its owner ({@code work.Node}) calls it from one context, passing the
 * time and its view of bitcoind's chain in.
 *
 * <p>Heights and cumulative work are cached per share and recomputed lazily after a change that
 * can alter them (a parent arriving after its children, a removal); appending a new head, the
 * common case, invalidates nothing.
 */
public final class Tracker implements ChainView {
    /** Parent-chain height of a block relative to bitcoind's tip (0 = tip, negative = older), null if unknown. */
    public interface BlockHeights extends Function<Sha256Hash, Integer> {}

    /** A share the tracker refused at verification, and where it came from (for a ban). */
    public record Bad(Sha256Hash hash, Object source, ShareException reason) {}

    /** A chain's missing parent worth downloading, with the peer that sent its newest share. */
    public record Desired(Sha256Hash hash, Object source, long newestTimestamp) {}

    /** The outcome of {@link #think}. */
    public record Decision(Sha256Hash best, List<Desired> desired, List<Bad> bad, boolean punish) {}

    static final int BLOCK_PERIOD = 600;
    private static final int VERY_OLD = -1_000_000;

    private static final class Node {
        final ChainShare share;
        final long timeSeen;
        final Object source;
        Node parent;
        int children;
        boolean verified;
        long epoch = -1;
        int height;
        long vEpoch = -1;
        int vHeight;
        BigInteger vWork;

        Node(ChainShare share, long timeSeen, Object source) {
            this.share = share;
            this.timeSeen = timeSeen;
            this.source = source;
        }
    }

    private final P2poolNetwork net;
    private final Map<Sha256Hash, Node> nodes = new HashMap<>();
    private final Map<Sha256Hash, List<Node>> orphansByParent = new HashMap<>();
    private final Set<Node> heads = new LinkedHashSet<>();
    private long epoch;
    private long vEpoch;
    private Sha256Hash best;
    private int minimumProtocolVersion;
    private final PplnsWindows pplns = new PplnsWindows(this);

    public Tracker(P2poolNetwork net) {
        this.net = net;
        this.minimumProtocolVersion = net.minimumProtocolVersion();
    }

    public P2poolNetwork net() {
        return net;
    }

    public int size() {
        return nodes.size();
    }

    public boolean contains(Sha256Hash h) {
        return nodes.containsKey(h);
    }

    @Override
    public ChainShare get(Sha256Hash hash) {
        Node n = hash == null ? null : nodes.get(hash);
        return n == null ? null : n.share;
    }

    public Share share(Sha256Hash hash) {
        return get(hash) instanceof Share s ? s : null;
    }

    /** Known children of a share. */
    public int childCount(Sha256Hash h) {
        Node n = nodes.get(h);
        return n == null ? 0 : n.children;
    }

    /** Known children of a share: a scan of every share, for the occasional explorer request. */
    public List<Sha256Hash> children(Sha256Hash h) {
        List<Sha256Hash> out = new ArrayList<>();
        Node n = nodes.get(h);
        if (n == null || n.children == 0) {
            return out;
        }
        for (Node c : nodes.values()) {
            if (h.equals(c.share.previousHash())) {
                out.add(c.share.hash());
            }
        }
        return out;
    }

    public boolean isVerified(Sha256Hash h) {
        Node n = nodes.get(h);
        return n != null && n.verified;
    }

    public Sha256Hash best() {
        return best;
    }

    /** MINIMUM_PROTOCOL_VERSION now in force for peers (raised by 11.4, never lowered). */
    public int minimumProtocolVersion() {
        return minimumProtocolVersion;
    }

    public long timeSeen(Sha256Hash h) {
        Node n = nodes.get(h);
        return n == null ? 0 : n.timeSeen;
    }

    public Object source(Sha256Hash h) {
        Node n = nodes.get(h);
        return n == null ? null : n.source;
    }

    /** Adds an unverified share; false if it was known. */
    public boolean add(ChainShare s, long timeSeen, Object source) {
        if (nodes.containsKey(s.hash())) {
            return false;
        }
        Node n = new Node(s, timeSeen, source);
        nodes.put(s.hash(), n);
        Node parent = s.previousHash() == null ? null : nodes.get(s.previousHash());
        if (parent != null) {
            n.parent = parent;
            if (parent.children++ == 0) {
                heads.remove(parent);
            }
        } else if (s.previousHash() != null) {
            orphansByParent.computeIfAbsent(s.previousHash(), k -> new ArrayList<>()).add(n);
        }
        List<Node> waiting = orphansByParent.remove(s.hash());
        if (waiting != null) {
            for (Node child : waiting) {
                child.parent = n;
            }
            n.children = waiting.size();
            epoch++; // a gap closed: heights below those children changed
            vEpoch++;
        } else {
            heads.add(n);
        }
        return true;
    }

    /** Marks a share verified without checking it (shares we built, or a store's verified marks). */
    public void markVerified(Sha256Hash h) {
        Node n = nodes.get(h);
        if (n != null && !n.verified) {
            n.verified = true;
            if (n.children > 0) {
                vEpoch++;
            }
        }
    }

    /** Removes one share; its children become a chain whose tail is this hash. */
    public void remove(Sha256Hash h) {
        Node n = nodes.remove(h);
        if (n == null) {
            return;
        }
        heads.remove(n);
        if (n.parent != null) {
            if (--n.parent.children == 0) {
                heads.add(n.parent);
            }
        } else if (n.share.previousHash() != null) {
            List<Node> siblings = orphansByParent.get(n.share.previousHash());
            if (siblings != null) {
                siblings.remove(n);
                if (siblings.isEmpty()) {
                    orphansByParent.remove(n.share.previousHash());
                }
            }
        }
        if (n.children > 0) {
            List<Node> kids = new ArrayList<>();
            for (Node c : nodes.values()) {
                if (c.parent == n) {
                    c.parent = null;
                    kids.add(c);
                }
            }
            orphansByParent.put(h, kids);
        }
        epoch++;
        vEpoch++;
        pplns.invalidate();
        if (h.equals(best)) {
            best = null;
        }
    }

    // ---- heights and work ----------------------------------------------------------------

    private int heightOf(Node n) {
        if (n.epoch == epoch) {
            return n.height;
        }
        List<Node> path = new ArrayList<>();
        Node cur = n;
        while (cur != null && cur.epoch != epoch) {
            path.add(cur);
            cur = cur.parent;
        }
        int h = cur == null ? 0 : cur.height;
        for (int i = path.size() - 1; i >= 0; i--) {
            Node p = path.get(i);
            p.height = ++h;
            p.epoch = epoch;
        }
        return n.height;
    }

    @Override
    public PplnsWeights pplns(Sha256Hash start, int maxShares, BigInteger desiredWeight) {
        return pplns.weights(start, maxShares, desiredWeight);
    }

    @Override
    public int height(Sha256Hash hash) {
        Node n = hash == null ? null : nodes.get(hash);
        return n == null ? 0 : heightOf(n);
    }

    /** The hash below the known chain of {@code h}: the missing parent, or null when the chain reaches genesis. */
    public Sha256Hash last(Sha256Hash h) {
        Node n = nodes.get(h);
        if (n == null) {
            return h;
        }
        Node first = nodeAncestor(n, heightOf(n) - 1);
        return first.share.previousHash();
    }

    @Override
    public boolean reachesGenesis(Sha256Hash hash) {
        return nodes.containsKey(hash) && last(hash) == null;
    }

    private Node nodeAncestor(Node n, int k) {
        Node cur = n;
        for (int i = 0; i < k && cur != null; i++) {
            cur = cur.parent;
        }
        return cur;
    }

    /** By parent links: no lookups (verification walks 200 shares back for every share it checks). */
    @Override
    public List<ChainShare> ancestors(Sha256Hash hash, int n) {
        List<ChainShare> out = new ArrayList<>(Math.max(0, Math.min(n, 1024)));
        Node cur = hash == null ? null : nodes.get(hash);
        while (cur != null && out.size() < n) {
            out.add(cur.share);
            cur = cur.parent;
        }
        return out;
    }

    @Override
    public ChainShare ancestor(Sha256Hash hash, int k) {
        Node n = hash == null ? null : nodes.get(hash);
        Node a = n == null ? null : nodeAncestor(n, k);
        return a == null ? null : a.share;
    }

    private void computeVerified(Node n) {
        if (n.vEpoch == vEpoch) {
            return;
        }
        List<Node> path = new ArrayList<>();
        Node cur = n;
        while (cur != null && cur.verified && cur.vEpoch != vEpoch) {
            path.add(cur);
            cur = cur.parent;
        }
        int h = cur != null && cur.verified ? cur.vHeight : 0;
        BigInteger w = cur != null && cur.verified ? cur.vWork : BigInteger.ZERO;
        for (int i = path.size() - 1; i >= 0; i--) {
            Node p = path.get(i);
            h++;
            w = w.add(p.share.work());
            p.vHeight = h;
            p.vWork = w;
            p.vEpoch = vEpoch;
        }
        if (!n.verified) {
            n.vHeight = 0;
            n.vWork = BigInteger.ZERO;
            n.vEpoch = vEpoch;
        }
    }

    /** Consecutive verified shares from {@code h} back. */
    public int verifiedHeight(Sha256Hash h) {
        Node n = nodes.get(h);
        if (n == null) {
            return 0;
        }
        computeVerified(n);
        return n.vHeight;
    }

    private BigInteger verifiedWork(Node n) {
        computeVerified(n);
        return n.vWork;
    }

    // ---- verification and chain choice ---------------------------------------------------

    private boolean attemptVerify(Node n, long now, List<Bad> bad) {
        if (n.verified) {
            return true;
        }
        if (!(n.share instanceof Share s)) {
            return false;
        }
        try {
            ShareCheck.Passed passed = ShareCheck.check(s, this, now);
            n.verified = true;
            if (n.children > 0) {
                vEpoch++; // descendants' verified heights change; a new verified head changes nobody else's
            } else {
                n.vEpoch = -1;
            }
            raiseMinimumProtocol(s, passed);
            return true;
        } catch (ShareException e) {
            bad.add(new Bad(s.hash(), n.source, e));
            return false;
        }
    }

    private void raiseMinimumProtocol(Share s, ShareCheck.Passed passed) {
        if (passed.counts() == null) {
            return;
        }
        int wanted = s.shareVersion().minimumProtocolVersion();
        if (wanted > minimumProtocolVersion && VersionVote.establishes(passed.counts(), s.version())) {
            minimumProtocolVersion = wanted;
        }
    }

    /**
     * Verifies what can be verified, drops shares that fail (returned, for bans), and picks the
     * best share (protocol spec 12.2). Call after each batch of new shares, each bitcoind work
     * change, and every few seconds.
     */
    public Decision think(long now, BlockHeights blockHeights) {
        List<Bad> bad = new ArrayList<>();
        Map<Sha256Hash, Desired> desired = new HashMap<>();
        int cl = net.chainLength();

        // 1. Unverified heads: verify from the head back until one passes.
        for (Node head : new ArrayList<>(heads)) {
            if (head.verified) {
                continue;
            }
            int h = heightOf(head);
            Sha256Hash last = last(head.share.hash());
            int tries = last == null ? h : Math.min(5, Math.max(0, h - cl));
            boolean ok = false;
            Node cur = head;
            List<Bad> failed = new ArrayList<>();
            for (int i = 0; i < tries && cur != null; i++, cur = cur.parent) {
                if (attemptVerify(cur, now, failed)) {
                    ok = true;
                    break;
                }
            }
            bad.addAll(failed);
            if (!ok && last != null) {
                desired.putIfAbsent(last, new Desired(last, head.source, head.share.timestamp()));
            }
        }
        // 2. Failed shares leave the tracker.
        for (Bad b : bad) {
            remove(b.hash());
        }

        // 3. Verified heads short of CHAIN_LENGTH verified: verify further back.
        for (Node head : new ArrayList<>(heads)) {
            if (!head.verified || !nodes.containsKey(head.share.hash())) {
                continue;
            }
            int vh = verifiedHeight(head.share.hash());
            if (vh >= cl) {
                continue;
            }
            Node lastVerified = nodeAncestor(head, vh - 1);
            Node next = lastVerified.parent;
            if (next != null) {
                int lastHeight = heightOf(next);
                boolean rooted = last(next.share.hash()) == null;
                int want = Math.max(cl - vh, 0);
                int can = rooted ? lastHeight : Math.max(lastHeight - 1 - cl, 0);
                List<Bad> ignored = new ArrayList<>();
                Node cur = next;
                for (int i = 0; i < Math.min(want, can) && cur != null; i++, cur = cur.parent) {
                    if (!attemptVerify(cur, now, ignored)) {
                        break; // failures here only stop this walk (12.2 step 3)
                    }
                }
            }
            Sha256Hash tail = last(head.share.hash());
            if (verifiedHeight(head.share.hash()) < cl && tail != null) {
                desired.putIfAbsent(tail, new Desired(tail, head.source, head.share.timestamp()));
            }
        }

        // 4-5. Best verified tail by score, then best head in it.
        Map<Sha256Hash, List<Node>> byTail = new HashMap<>();
        for (Node head : verifiedHeads()) {
            byTail.computeIfAbsent(verifiedTailKey(head), k -> new ArrayList<>()).add(head);
        }
        Score bestScore = null;
        List<Node> bestHeads = null;
        for (List<Node> group : byTail.values()) {
            Node top = Collections.max(group, (a, b) -> verifiedWork(a).compareTo(verifiedWork(b)));
            Score sc = score(top, blockHeights);
            if (bestScore == null || sc.compareTo(bestScore) > 0) {
                bestScore = sc;
                bestHeads = group;
            }
        }
        boolean punish = false;
        Sha256Hash newBest = null;
        if (bestHeads != null) {
            Node chosen = null;
            Decorated chosenKey = null;
            Node traditional = null;
            Decorated traditionalKey = null;
            for (Node head : bestHeads) {
                Decorated d = decorate(head);
                if (chosen == null || d.compareTo(chosenKey) > 0) {
                    chosen = head;
                    chosenKey = d;
                }
                if (traditional == null || d.compareTraditional(traditionalKey) > 0) {
                    traditional = head;
                    traditionalKey = d;
                }
            }
            newBest = chosen.share.hash();
            punish = traditionalKey.punishment != 0;
        }
        best = newBest;

        // 7. Keep only recent desired parents.
        ChainShare bestShare = get(best);
        long cutoff = bestShare == null ? now - 86_400 : Math.min(now, bestShare.timestamp()) - 3600;
        List<Desired> wanted = new ArrayList<>();
        for (Desired d : desired.values()) {
            if (d.newestTimestamp() >= cutoff) {
                wanted.add(d);
            }
        }
        return new Decision(best, wanted, bad, punish);
    }

    private List<Node> verifiedHeads() {
        // A verified head: verified, and no verified child.
        Set<Node> withVerifiedChild = new HashSet<>();
        List<Node> verified = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.verified) {
                verified.add(n);
                if (n.parent != null && n.parent.verified) {
                    withVerifiedChild.add(n.parent);
                }
            }
        }
        List<Node> out = new ArrayList<>();
        for (Node n : verified) {
            if (!withVerifiedChild.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The hash below a verified chain (identifies its verified tail); genesis chains share the ZERO key. */
    private Sha256Hash verifiedTailKey(Node head) {
        Node first = nodeAncestor(head, verifiedHeight(head.share.hash()) - 1);
        Sha256Hash p = first.share.previousHash();
        return p == null ? Sha256Hash.ZERO : p;
    }

    private record Score(int height, Double rate) implements Comparable<Score> {
        @Override
        public int compareTo(Score o) {
            int c = Integer.compare(height, o.height);
            if (c != 0) {
                return c;
            }
            if (rate == null || o.rate == null) {
                return rate == null ? (o.rate == null ? 0 : -1) : 1;
            }
            return Double.compare(rate, o.rate);
        }
    }

    /** 12.2 step 4: (height, none) while short; else the chain's recent work per parent-chain time. Float, as the reference. */
    private Score score(Node head, BlockHeights blockHeights) {
        int cl = net.chainLength();
        int vh = verifiedHeight(head.share.hash());
        if (vh < cl) {
            return new Score(vh, null);
        }
        Node end = nodeAncestor(head, cl * 15 / 16);
        int m = Integer.MIN_VALUE;
        Node cur = end;
        for (int i = 0; i < cl / 16 && cur != null; i++, cur = cur.parent) {
            Integer rel = cur.share instanceof Share s ? blockHeights.apply(s.previousBlock()) : null;
            m = Math.max(m, rel == null ? VERY_OLD : rel);
        }
        BigInteger between = verifiedWork(head).subtract(verifiedWork(end));
        double rate = between.doubleValue() / ((1.0 - m) * BLOCK_PERIOD);
        return new Score(cl, rate);
    }

    private record Decorated(BigInteger work, BigInteger workWithoutBonus, int punishment, long timeSeen)
            implements Comparable<Decorated> {
        /** Higher is better: more work, less punishment, seen earlier. */
        @Override
        public int compareTo(Decorated o) {
            int c = work.compareTo(o.work);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(-punishment, -o.punishment);
            if (c != 0) {
                return c;
            }
            return Long.compare(-timeSeen, -o.timeSeen);
        }

        /** The reference's "traditional" order (work5 without bonus, -time_seen, -p): only for the punish flag. */
        int compareTraditional(Decorated o) {
            int c = workWithoutBonus.compareTo(o.workWithoutBonus);
            if (c != 0) {
                return c;
            }
            c = Long.compare(-timeSeen, -o.timeSeen);
            return c != 0 ? c : Integer.compare(-punishment, -o.punishment);
        }
    }

    /**
     * How a head ranks among the heads of its tail (12.2 step 5) apart from when it was seen: two heads
     * of equal rank tie, and each node then keeps the one it saw first. Null for an unknown hash.
     */
    public record HeadRank(BigInteger work, int punishment) {}

    public HeadRank rank(Sha256Hash head) {
        Node n = nodes.get(head);
        if (n == null) {
            return null;
        }
        Decorated d = decorate(n);
        return new HeadRank(d.work(), d.punishment());
    }

    /** 12.2 step 5: (work of the ancestor 5 back + bonus, -punishment, -time_seen). */
    private Decorated decorate(Node head) {
        int vh = verifiedHeight(head.share.hash());
        Node anc = nodeAncestor(head, Math.min(5, vh));
        BigInteger work5 = anc == null || !anc.verified ? BigInteger.ZERO : verifiedWork(anc);
        int p = punishment(head.share);
        BigInteger bonus = p == -1 ? head.share.work() : p >= 1 ? head.share.work().negate() : BigInteger.ZERO;
        return new Decorated(work5.add(bonus), work5, p, head.timeSeen);
    }

    /** 12.4 for v34+ chains: -1 for a block solution, else 0 (naughtiness only exists for v33 fee cheats). */
    static int punishment(ChainShare s) {
        return s instanceof Share share && share.isBlockSolution() ? -1 : 0;
    }

    // ---- pruning -------------------------------------------------------------------------

    /**
     * 12.7: drop stale losing heads, and keep about 2*CHAIN_LENGTH+10 shares per chain by
     * removing the oldest. Returns the hashes removed (for the store).
     */
    public List<Sha256Hash> prune(long now) {
        List<Sha256Hash> removed = new ArrayList<>();
        int keep = 2 * net.chainLength() + 10;
        for (int round = 0; round < 1000; round++) {
            List<Node> candidates = new ArrayList<>();
            Map<Node, Decorated> keys = new HashMap<>();
            for (Node h : heads) {
                keys.put(h, decorate(h)); // once per head, not once per comparison
            }
            List<Node> sorted = new ArrayList<>(heads);
            sorted.sort((a, b) -> keys.get(b).compareTo(keys.get(a)));
            for (int i = 5; i < sorted.size(); i++) {
                Node h = sorted.get(i);
                if (h.timeSeen < now - 300 && !h.share.hash().equals(best)) {
                    candidates.add(h);
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
            for (Node h : candidates) {
                removed.add(h.share.hash());
                remove(h.share.hash());
            }
        }
        // Tails: trim every chain whose heads are all longer than keep.
        Map<Sha256Hash, List<Node>> byTail = new HashMap<>();
        for (Node h : heads) {
            byTail.computeIfAbsent(Objects2.orZero(last(h.share.hash())), k -> new ArrayList<>()).add(h);
        }
        for (List<Node> group : byTail.values()) {
            int minHeight = Integer.MAX_VALUE;
            for (Node h : group) {
                minHeight = Math.min(minHeight, heightOf(h));
            }
            int excess = minHeight - keep;
            if (excess <= 0) {
                continue;
            }
            Node oldest = nodeAncestor(group.get(0), heightOf(group.get(0)) - 1);
            List<Node> toRemove = new ArrayList<>();
            Node cur = oldest;
            // Walk up from the oldest share along the (shared) trunk.
            for (int i = 0; i < excess && cur != null; i++) {
                toRemove.add(cur);
                cur = onlyChild(cur);
            }
            for (Node n : toRemove) {
                removed.add(n.share.hash());
                remove(n.share.hash());
            }
        }
        return removed;
    }

    private Node onlyChild(Node n) {
        if (n.children != 1) {
            return null;
        }
        for (Node c : nodes.values()) {
            if (c.parent == n) {
                return c;
            }
        }
        return null;
    }

    /** All shares (unordered). */
    public Collection<ChainShare> shares() {
        List<ChainShare> out = new ArrayList<>(nodes.size());
        for (Node n : nodes.values()) {
            out.add(n.share);
        }
        return out;
    }

    public List<Sha256Hash> heads() {
        List<Sha256Hash> out = new ArrayList<>();
        for (Node n : heads) {
            out.add(n.share.hash());
        }
        return out;
    }

    private static final class Objects2 {
        static Sha256Hash orZero(Sha256Hash h) {
            return h == null ? Sha256Hash.ZERO : h;
        }
    }
}
