package p2pool4j.work;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.ChainShare;
import p2pool4j.sharechain.ChainView;
import p2pool4j.sharechain.Gentx;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.PayoutScripts;
import p2pool4j.sharechain.Pplns;
import p2pool4j.sharechain.PplnsWeights;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.Tracker;

/**
 * What the sharechain says about the pool as a whole, computed as the reference's web endpoints
 * do: pool hashrate from the work and timestamps of the last shares, the stale proportion from
 * their stale_info, payout fractions from the PPLNS window, and blocks found within the chain.
 * Display only, hence here and not in the consensus package: nothing here feeds consensus, and
 * its doubles never reach a share.
 */
public final class ChainStats {
    /** A block the pool found, as /recent_blocks shows it. */
    public record RecentBlock(long timestamp, Sha256Hash blockHash, long height, Sha256Hash shareHash) {}

    private ChainStats() {}

    /**
     * Attempts per second over the {@code dist} shares ending at {@code best}: the work of the
     * shares above the far one divided by the timestamp span (at least one second).
     */
    public static double attemptsPerSecond(ChainView chain, Sha256Hash best, int dist) {
        if (best == null || dist < 2 || chain.height(best) < dist) {
            return 0;
        }
        ChainShare near = chain.get(best);
        ChainShare s = near;
        BigInteger work = BigInteger.ZERO;
        for (int i = 0; i < dist - 1; i++) {
            work = work.add(s.work());
            s = chain.get(s.previousHash());
        }
        long span = Math.max(1, near.timestamp() - s.timestamp());
        return work.doubleValue() / span;
    }

    /** Work of the last {@code dist} shares by the version they vote for, as fractions of their total work. */
    public static Map<Long, Double> desiredVersionFractions(ChainView chain, Sha256Hash best, int dist) {
        Map<Long, BigInteger> work = new java.util.TreeMap<>();
        BigInteger total = BigInteger.ZERO;
        ChainShare s = best == null ? null : chain.get(best);
        for (int i = 0; i < dist && s != null; i++) {
            work.merge(s.desiredVersion(), s.work(), BigInteger::add);
            total = total.add(s.work());
            s = s.previousHash() == null ? null : chain.get(s.previousHash());
        }
        Map<Long, Double> out = new java.util.TreeMap<>();
        for (Map.Entry<Long, BigInteger> e : work.entrySet()) {
            out.put(e.getKey(), e.getValue().doubleValue() / total.doubleValue());
        }
        return out;
    }

    /** stales / (lookbehind + stales), stales counted from the shares' stale_info, as the reference. */
    public static double staleProportion(Tracker chain, Sha256Hash best, int lookbehind) {
        double[] b = staleBreakdown(chain, best, lookbehind);
        return b[0] + b[1];
    }

    /** The stale proportion split by kind: {orphan, doa}, each over (lookbehind + all stales). */
    public static double[] staleBreakdown(Tracker chain, Sha256Hash best, int lookbehind) {
        if (best == null || lookbehind <= 0) {
            return new double[2];
        }
        int orphan = 0;
        int doa = 0;
        Share s = chain.share(best);
        for (int i = 0; i < lookbehind && s != null; i++) {
            int info = s.staleInfo();
            if (info == 254) {
                doa++;
            } else if (info != 0) {
                orphan++; // 253, and unknown kinds, which the reference also counts as stale
            }
            s = s.previousHash() == null ? null : chain.share(s.previousHash());
        }
        double all = lookbehind + orphan + doa;
        return new double[] {orphan / all, doa / all};
    }

    /** Payout fractions of each key over the last {@code maxShares} shares (the reference's /users). */
    public static Map<String, Double> userFractions(ChainView chain, Sha256Hash best, int maxShares) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (best == null || maxShares <= 0) {
            return out;
        }
        PplnsWeights w = chain.pplns(best, maxShares, BigInteger.valueOf(65535).shiftLeft(256));
        if (w.total().signum() == 0) {
            return out;
        }
        w.weights().entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> out.put(e.getKey(), e.getValue().doubleValue() / w.total().doubleValue()));
        return out;
    }

    /**
     * What a block found now would pay (the reference's expected payouts): the subsidy split by
     * PPLNS weight from {@code best}, the remainder to the donation key. No finder bonus: who
     * finds it is not known yet.
     */
    public static Map<String, Long> expectedPayouts(P2poolNetwork net, ChainView chain, Sha256Hash best, BigInteger blockTarget,
            long subsidy) {
        Map<String, Long> out = new LinkedHashMap<>();
        String donationKey = PayoutScripts.keyOfPubkeyHash(Gentx.DONATION_PUBKEY_HASH, net.chain());
        long assigned = 0;
        if (best != null) {
            PplnsWeights w = chain.pplns(best, Math.min(chain.height(best), net.realChainLength()), Pplns.desiredWeight(blockTarget));
            if (w.total().signum() > 0) {
                for (Map.Entry<String, BigInteger> e : w.weights().entrySet()) {
                    long amount = BigInteger.valueOf(subsidy).multiply(e.getValue()).divide(w.total()).longValueExact();
                    out.merge(e.getKey(), amount, Long::sum);
                    assigned += amount;
                }
            }
        }
        out.merge(donationKey, subsidy - assigned, Long::sum);
        return out;
    }

    /** Shares within the last {@code depth} of the best chain that are also blocks, newest first. */
    public static List<RecentBlock> recentBlocks(Tracker chain, Sha256Hash best, int depth) {
        List<RecentBlock> out = new ArrayList<>();
        Share s = best == null ? null : chain.share(best);
        for (int i = 0; i < depth && s != null; i++) {
            if (s.isBlockSolution()) {
                out.add(new RecentBlock(s.timestamp(), s.hash(), bip34Height(s.shareInfo().shareData().coinbase()), s.hash()));
            }
            s = s.previousHash() == null ? null : chain.share(s.previousHash());
        }
        return out;
    }

    /** The block height a coinbase script starts with (BIP34), or -1 when it does not start with one. */
    public static long bip34Height(byte[] coinbase) {
        if (coinbase == null || coinbase.length == 0) {
            return -1;
        }
        int op = coinbase[0] & 0xff;
        if (op >= 0x51 && op <= 0x60) {
            return op - 0x50;
        }
        if (op < 1 || op > 8 || coinbase.length < 1 + op) {
            return -1;
        }
        long v = 0;
        for (int i = op; i >= 1; i--) {
            v = (v << 8) | (coinbase[i] & 0xff);
        }
        return v;
    }

    /** The first share above each tail of the forest: where each known chain begins. */
    public static List<Sha256Hash> tails(Tracker chain) {
        java.util.Set<Sha256Hash> out = new java.util.LinkedHashSet<>();
        for (Sha256Hash head : chain.heads()) {
            ChainShare first = chain.ancestor(head, chain.height(head) - 1);
            if (first != null) {
                out.add(first.hash());
            }
        }
        return new ArrayList<>(out);
    }
}
