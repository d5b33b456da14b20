package p2pool4j.sharechain;

import p2pool4j.bitcoin.Sha256Hash;

/** Read access to the known shares, as the consensus algorithms need it. The tracker implements it. */
public interface ChainView {
    /** The share, or null if unknown. */
    ChainShare get(Sha256Hash hash);

    /** Consecutive known shares from {@code hash} back (itself included); 0 if unknown. */
    int height(Sha256Hash hash);

    /** The share {@code n} generations back from {@code hash} (0 = itself), or null past the known chain. */
    default ChainShare ancestor(Sha256Hash hash, int n) {
        ChainShare s = get(hash);
        for (int i = 0; i < n && s != null; i++) {
            s = s.previousHash() == null ? null : get(s.previousHash());
        }
        return s;
    }

    /** {@code hash} and up to {@code n - 1} shares back from it, newest first; shorter where the known chain ends. */
    default java.util.List<ChainShare> ancestors(Sha256Hash hash, int n) {
        java.util.List<ChainShare> out = new java.util.ArrayList<>(Math.max(0, Math.min(n, 1024)));
        ChainShare s = hash == null ? null : get(hash);
        while (s != null && out.size() < n) {
            out.add(s);
            s = s.previousHash() == null ? null : get(s.previousHash());
        }
        return out;
    }

    /** PPLNS weights (section 8) from {@code start}; trackers answer incrementally. */
    default PplnsWeights pplns(Sha256Hash start, int maxShares, java.math.BigInteger desiredWeight) {
        return Pplns.weights(this, start, maxShares, desiredWeight);
    }

    /** True when the known chain below {@code hash} ends at a share without parent (a chain genesis). */
    default boolean reachesGenesis(Sha256Hash hash) {
        int h = height(hash);
        if (h == 0) {
            return false;
        }
        ChainShare last = ancestor(hash, h - 1);
        return last != null && last.previousHash() == null;
    }
}
