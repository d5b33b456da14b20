package p2pool4j.sharechain;

import java.math.BigInteger;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;

/**
 * The derived fields of share_info (protocol spec 9): target regulation over the last 199 shares
 * with the +-10 % clamp, bits within [pre3/30, pre3], timestamps (the v17 clamp included),
 * absheight, abswork and far_share_hash. A producer passes what it wants; a verifier passes the
 * share's own bits and timestamp and compares the result with the share.
 */
public final class TargetRules {
    static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

    /** The derived share_info fields. {@code farShareHash} null when absent. */
    public record Derived(long maxBits, long bits, long timestamp, long absheight, BigInteger abswork, Sha256Hash farShareHash) {}

    /** The intermediate values of 9.1 ({@code timeSpan} before it is forced to at least 1), for tests and the inspect command. */
    public record Regulation(BigInteger minWorkSum, long timeSpan, BigInteger attemptsPerSecond, BigInteger pre, BigInteger pre2,
            BigInteger pre3) {}

    private TargetRules() {}

    /** pre_target3 for a share whose parent is {@code parent} (null for a chain's first share). */
    public static Regulation regulation(P2poolNetwork net, ChainView chain, Sha256Hash parent) {
        int h = parent == null ? 0 : chain.height(parent);
        if (h < P2poolNetwork.TARGET_LOOKBEHIND) {
            return new Regulation(null, 0, null, null, null, net.maxTarget());
        }
        java.util.List<ChainShare> back = chain.ancestors(parent, P2poolNetwork.TARGET_LOOKBEHIND);
        ChainShare p = back.get(0);
        BigInteger w = BigInteger.ZERO;
        for (int i = 0; i < P2poolNetwork.TARGET_LOOKBEHIND - 1; i++) {
            w = w.add(back.get(i).minWork());
        }
        ChainShare f = back.get(P2poolNetwork.TARGET_LOOKBEHIND - 1); // 199 generations back from the parent
        long span = p.timestamp() - f.timestamp();
        BigInteger aps = w.divide(BigInteger.valueOf(Math.max(span, 1)));
        BigInteger pre = aps.signum() > 0
                ? Targets.TWO_256.divide(BigInteger.valueOf(P2poolNetwork.SHARE_PERIOD).multiply(aps)).subtract(BigInteger.ONE)
                : Targets.MAX_256;
        BigInteger pre2 = clamp(pre, p.maxTarget().multiply(BigInteger.valueOf(9)).divide(BigInteger.TEN),
                p.maxTarget().multiply(BigInteger.valueOf(11)).divide(BigInteger.TEN));
        BigInteger pre3 = clamp(pre2, BigInteger.ZERO, net.maxTarget());
        return new Regulation(w, span, aps, pre, pre2, pre3);
    }

    public static Derived derive(P2poolNetwork net, ShareVersion version, ChainView chain, Sha256Hash parent,
            BigInteger desiredTarget, long desiredTimestamp) {
        BigInteger pre3 = regulation(net, chain, parent).pre3();
        long maxBits = Targets.toBits(pre3);
        long bits = Targets.toBits(clamp(desiredTarget, pre3.divide(BigInteger.valueOf(30)), pre3));
        ChainShare p = parent == null ? null : chain.get(parent);
        long timestamp = desiredTimestamp;
        if (p != null) {
            if (version.number() >= 32) {
                timestamp = Math.max(desiredTimestamp, p.timestamp() + 1);
            } else {
                timestamp = clampLong(desiredTimestamp, p.timestamp() + 1, p.timestamp() + 2L * P2poolNetwork.SHARE_PERIOD - 1);
            }
        }
        BigInteger work = Targets.attempts(Targets.fromBits(bits));
        long absheight = p == null ? 1 : (p.absheight() + 1) & 0xffffffffL;
        BigInteger abswork = p == null ? work : p.abswork().add(work).mod(TWO_128);
        Sha256Hash far = null;
        if (p != null) {
            ChainShare a98 = chain.ancestor(parent, 98);
            far = a98 == null ? null : a98.previousHash();
        }
        return new Derived(maxBits, bits, timestamp, absheight, abswork, far);
    }

    static BigInteger clamp(BigInteger x, BigInteger lo, BigInteger hi) {
        if (x.compareTo(lo) < 0) {
            return lo;
        }
        return x.compareTo(hi) > 0 ? hi : x;
    }

    private static long clampLong(long x, long lo, long hi) {
        if (x < lo) {
            return lo;
        }
        return Math.min(x, hi);
    }
}
