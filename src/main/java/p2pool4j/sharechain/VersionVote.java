package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Version voting (protocol spec 11): work-weighted desired_version counts over the window that
 * lies 90-100 % of CHAIN_LENGTH behind a share, the producer's &gt; 95 % and the verifier's
 * &gt;= 60 % rules, and which switches are allowed at all.
 */
public final class VersionVote {
    private VersionVote() {}

    /** Work per desired_version over the CHAIN_LENGTH/10 shares starting CHAIN_LENGTH*9/10 behind {@code from}. */
    public static Map<Long, BigInteger> counts(P2poolNetwork net, ChainView chain, Sha256Hash from) {
        int cl = net.chainLength();
        Map<Long, BigInteger> counts = new HashMap<>();
        ChainShare start = chain.ancestor(from, cl * 9 / 10);
        for (ChainShare s : start == null ? java.util.List.<ChainShare>of() : chain.ancestors(start.hash(), cl / 10)) {
            counts.merge(s.desiredVersion(), s.work(), BigInteger::add);
        }
        return counts;
    }

    public static BigInteger total(Map<Long, BigInteger> counts) {
        return counts.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    }

    /**
     * The versions that may follow {@code parent} as a switch: the reference's successor, and for
     * 17/32/33 also the Python 3 port's (34), so chains started by either implementation are followed.
     */
    public static boolean isSuccessor(int parent, int child) {
        ShareVersion p = ShareVersion.of(parent);
        if (p == null) {
            return false;
        }
        ShareVersion ref = p.successor();
        ShareVersion port = p.portSuccessor();
        return ref != null && ref.number() == child || port != null && port.number() == child;
    }

    /** Verifier: at least 60 % of the window's work votes for {@code version}. */
    public static boolean enoughToSwitch(Map<Long, BigInteger> counts, int version) {
        BigInteger v = counts.getOrDefault((long) version, BigInteger.ZERO);
        return v.compareTo(total(counts).multiply(BigInteger.valueOf(60)).divide(BigInteger.valueOf(100))) >= 0;
    }

    /** Producer: strictly more than 95 %. */
    public static boolean producerSwitches(Map<Long, BigInteger> counts, int version) {
        BigInteger v = counts.getOrDefault((long) version, BigInteger.ZERO);
        return v.compareTo(total(counts).multiply(BigInteger.valueOf(95)).divide(BigInteger.valueOf(100))) > 0;
    }

    /** Minimum protocol bump (11.4): at least 95 % (>=, not >). */
    public static boolean establishes(Map<Long, BigInteger> counts, int version) {
        BigInteger v = counts.getOrDefault((long) version, BigInteger.ZERO);
        return v.compareTo(total(counts).multiply(BigInteger.valueOf(95)).divide(BigInteger.valueOf(100))) >= 0;
    }

    /** The version a producer makes on top of {@code best} (11.2); V17 on an empty chain, like the reference. */
    public static ShareVersion versionToProduce(P2poolNetwork net, ChainView chain, ChainShare best) {
        if (best == null) {
            return ShareVersion.V17;
        }
        ShareVersion q = ShareVersion.of(best.version());
        ShareVersion succ = q.successor();
        if (succ == null || chain.height(best.hash()) < net.chainLength()) {
            return q;
        }
        return producerSwitches(counts(net, chain, best.hash()), succ.number()) ? succ : q;
    }
}
