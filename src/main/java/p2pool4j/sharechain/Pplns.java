package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;

/**
 * PPLNS weights with the reference's exact integer rules (protocol spec 8): walk from a start
 * share towards older ones, each share weighing att(target) x 65535 split between its payout key
 * and the donation by its donation field, until max_shares shares or the desired weight; the last
 * share counts only in part.
 */
public final class Pplns {
    static final BigInteger W65535 = BigInteger.valueOf(65535);

    private Pplns() {}

    /** @param start the first share to count (null gives empty weights) */
    public static PplnsWeights weights(ChainView chain, Sha256Hash start, int maxShares, BigInteger desiredWeight) {
        Map<String, BigInteger> w = new HashMap<>();
        BigInteger total = BigInteger.ZERO;
        BigInteger donation = BigInteger.ZERO;
        int count = 0;
        Sha256Hash cur = start;
        while (cur != null && count < maxShares && total.compareTo(desiredWeight) < 0) {
            ChainShare s = chain.get(cur);
            if (s == null) {
                break;
            }
            BigInteger a = s.work();
            BigInteger d = BigInteger.valueOf(s.donation());
            BigInteger keep = W65535.subtract(d);
            BigInteger full = a.multiply(W65535);
            if (total.add(full).compareTo(desiredWeight) <= 0) {
                w.merge(s.payoutKey(), a.multiply(keep), BigInteger::add);
                donation = donation.add(a.multiply(d));
                total = total.add(full);
                count++;
            } else {
                BigInteger r = desiredWeight.subtract(total).divide(W65535);
                w.merge(s.payoutKey(), r.multiply(keep), BigInteger::add);
                donation = donation.add(r.multiply(d));
                total = desiredWeight;
                break;
            }
            cur = s.previousHash();
        }
        w.values().removeIf(v -> v.signum() == 0);
        return new PplnsWeights(w, total, donation);
    }

    /** desired_weight of a new share: 65535 x SPREAD x att(block target). */
    public static BigInteger desiredWeight(BigInteger blockTarget) {
        return W65535.multiply(BigInteger.valueOf(P2poolNetwork.SPREAD)).multiply(Targets.attempts(blockTarget));
    }
}
