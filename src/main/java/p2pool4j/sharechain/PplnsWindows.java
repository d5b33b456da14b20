package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Incremental PPLNS (protocol spec 8) for a tracker. Queries come in chain order: each start is
 * usually the child of a previous one (a new share, a job on the new best share) or its parent
 * (the tracker verifying from a head back). The window of fully counted shares then gains or
 * drops one share at its newest end and adjusts its oldest end, O(1) amortized, and only the
 * result map is copied. A
 * few windows are kept so that verification and job making do not evict each other. Any other
 * query rebuilds a window with one walk. Results equal {@link Pplns#weights} exactly (tested).
 */
final class PplnsWindows {
    private static final int WINDOWS = 4;

    /** A key's weight in the window and how many of its shares are there (zero weights are possible). */
    private static final class KeySum {
        BigInteger sum = BigInteger.ZERO;
        int shares;
    }

    private static final class Window {
        Sha256Hash start;
        Sha256Hash startParent;
        int maxShares;
        BigInteger desired;
        final ArrayDeque<ChainShare> shares = new ArrayDeque<>(); // newest first
        final Map<String, KeySum> sums = new HashMap<>();
        BigInteger total = BigInteger.ZERO;
        BigInteger donation = BigInteger.ZERO;
        long lastUse;

        void clear() {
            start = null;
            startParent = null;
            shares.clear();
            sums.clear();
            total = BigInteger.ZERO;
            donation = BigInteger.ZERO;
        }

        void addOldest(ChainShare s) {
            shares.addLast(s);
            account(s, 1);
        }

        void addNewest(ChainShare s) {
            shares.addFirst(s);
            account(s, 1);
        }

        void removeOldest() {
            account(shares.removeLast(), -1);
        }

        void removeNewest() {
            account(shares.removeFirst(), -1);
        }

        private void account(ChainShare s, int sign) {
            BigInteger a = s.work();
            BigInteger d = BigInteger.valueOf(s.donation());
            BigInteger keep = a.multiply(Pplns.W65535.subtract(d));
            BigInteger don = a.multiply(d);
            BigInteger full = a.multiply(Pplns.W65535);
            KeySum k = sums.computeIfAbsent(s.payoutKey(), x -> new KeySum());
            if (sign > 0) {
                k.sum = k.sum.add(keep);
                k.shares++;
                donation = donation.add(don);
                total = total.add(full);
            } else {
                k.sum = k.sum.subtract(keep);
                if (--k.shares == 0) {
                    sums.remove(s.payoutKey());
                }
                donation = donation.subtract(don);
                total = total.subtract(full);
            }
        }
    }

    private final ChainView chain;
    private final Window[] windows = new Window[WINDOWS];
    private long clock;

    PplnsWindows(ChainView chain) {
        this.chain = chain;
        for (int i = 0; i < WINDOWS; i++) {
            windows[i] = new Window();
        }
    }

    /** Shares left the tracker: every window may hold one of them. */
    void invalidate() {
        for (Window w : windows) {
            w.clear();
        }
    }

    PplnsWeights weights(Sha256Hash start, int maxShares, BigInteger desired) {
        ChainShare first = start == null ? null : chain.get(start);
        if (first == null || maxShares <= 0 || desired.signum() <= 0) {
            return Pplns.weights(chain, start, maxShares, desired);
        }
        Window w = pick(first, desired);
        w.lastUse = ++clock;
        if (w.start == null || !w.desired.equals(desired)) {
            w.clear();
            w.desired = desired;
            w.addNewest(first);
        } else if (start.equals(w.startParent)) {
            // Stepping back (the tracker verifies from a head towards older shares): drop the old start.
            if (!w.shares.isEmpty() && w.shares.peekFirst().hash().equals(w.start)) {
                w.removeNewest();
            }
        } else if (!w.start.equals(start)) {
            // first is the child of w.start; an empty window had w.start as its boundary, which is now first's parent
            w.addNewest(first);
        }
        w.startParent = first.previousHash();
        w.start = start;
        w.maxShares = maxShares;
        while (w.shares.size() > maxShares || w.total.compareTo(desired) > 0) {
            w.removeOldest();
        }
        while (w.shares.size() < maxShares && w.total.compareTo(desired) < 0) {
            ChainShare next = boundary(w, first);
            if (next == null || w.total.add(next.work().multiply(Pplns.W65535)).compareTo(desired) > 0) {
                break;
            }
            w.addOldest(next);
        }
        Map<String, BigInteger> out = new HashMap<>(w.sums.size() * 2);
        w.sums.forEach((k, v) -> out.put(k, v.sum));
        BigInteger total = w.total;
        BigInteger donation = w.donation;
        if (w.shares.size() < maxShares && total.compareTo(desired) < 0) {
            ChainShare next = boundary(w, first);
            if (next != null) {
                BigInteger r = desired.subtract(total).divide(Pplns.W65535);
                BigInteger d = BigInteger.valueOf(next.donation());
                out.merge(next.payoutKey(), r.multiply(Pplns.W65535.subtract(d)), BigInteger::add);
                donation = donation.add(r.multiply(d));
                total = desired;
            }
        }
        out.values().removeIf(v -> v.signum() == 0);
        return new PplnsWeights(out, total, donation);
    }

    /** The first share not fully counted: the start itself when the window is empty. */
    private ChainShare boundary(Window w, ChainShare first) {
        return w.shares.isEmpty() ? first : chain.get(w.shares.peekLast().previousHash());
    }

    /** The window at this start, else one that can advance to it, else the least recently used. */
    private Window pick(ChainShare first, BigInteger desired) {
        Window lru = windows[0];
        Window advance = null;
        for (Window w : windows) {
            if (w.start != null && w.start.equals(first.hash()) && desired.equals(w.desired)) {
                return w;
            }
            if (w.start != null && desired.equals(w.desired)
                    && (w.start.equals(first.previousHash()) || first.hash().equals(w.startParent))) {
                advance = w;
            }
            if (w.lastUse < lru.lastUse) {
                lru = w;
            }
        }
        if (advance != null) {
            return advance;
        }
        lru.clear();
        return lru;
    }
}
