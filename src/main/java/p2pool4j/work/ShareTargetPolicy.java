package p2pool4j.work;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import p2pool4j.bitcoin.Targets;
import p2pool4j.sharechain.P2poolNetwork;

/**
 * The share target a node asks for when the miner does not (protocol spec 13.3, the reference's
 * policy), before the share rules clamp it to [pre_target3/30, pre_target3]:
 * <ol>
 * <li>at most about 1.67 % of the pool's shares: a node whose miners would make more per share
 *     period gets harder shares ({@code target = 2^256 / (localRate x SHARE_PERIOD / 0.0167) - 1});
 * <li>no dust: once the chain holds an hour of shares, an address whose expected payout per block
 *     ({@code addressRate / poolRate x subsidy x (1 - donation)}) is below the chain's dust threshold
 *     gets shares worth at least that much ({@code target = 2^256 / (att(block) x SPREAD x dust / subsidy) - 1}).
 * </ol>
 * A miner's {@code /N} replaces both (within the same clamp). Results are rounded down to four
 * significant bits, so a rate that wobbles does not make a new job key every generation. Pure.
 */
public final class ShareTargetPolicy {
    static final double MAX_SHARE_FRACTION = 0.0167;
    static final int LOOKBEHIND = 3600 / P2poolNetwork.SHARE_PERIOD;
    static final BigInteger MAX = Targets.MAX_256;

    /** What the policy reads, taken once per work generation on the node. */
    public record Inputs(double nodeRate, Map<String, Double> addressRates, double poolAttemptsPerSecond, int chainHeight,
            BigInteger blockTarget, long subsidy, double donationPercent, long dustThreshold) {
        public static final Inputs NONE = new Inputs(0, Map.of(), 0, 0, null, 0, 0, 0);

        public Inputs {
            addressRates = Map.copyOf(addressRates);
        }
    }

    /** The policy's answer for one work generation: per address with a measured rate, and for every other address. */
    public record Targets256(BigInteger fallback, Map<String, BigInteger> byAddress) {
        public static final Targets256 NONE = new Targets256(null, Map.of());

        public Targets256 {
            byAddress = Map.copyOf(byAddress);
        }

        /** The desired target for miners paying {@code address}; {@code easiest} before the first template. */
        public BigInteger target(String address, BigInteger easiest) {
            BigInteger t = byAddress.get(address);
            return t != null ? t : fallback != null ? fallback : easiest;
        }
    }

    private ShareTargetPolicy() {}

    /** Worked out once per generation on the node (at most {@link LocalRates#MAX_ADDRESSES} addresses). */
    public static Targets256 targets(Inputs in, P2poolNetwork net) {
        Map<String, BigInteger> by = new java.util.HashMap<>();
        for (String a : in.addressRates().keySet()) {
            by.put(a, desired(in, a, net));
        }
        return new Targets256(desired(in, null, net), by);
    }

    /** The desired share target for miners paying {@code address} (null: an address without a measured rate). */
    public static BigInteger desired(Inputs in, String address, P2poolNetwork net) {
        BigInteger desired = MAX;
        if (in.nodeRate() > 0) {
            desired = desired.min(averageAttemptsToTarget(in.nodeRate() * P2poolNetwork.SHARE_PERIOD / MAX_SHARE_FRACTION));
        }
        double addressRate = address == null ? 0 : in.addressRates().getOrDefault(address, 0.0);
        if (in.chainHeight() > LOOKBEHIND && in.poolAttemptsPerSecond() > 0 && in.subsidy() > 0 && in.blockTarget() != null) {
            double expectedPayout = addressRate / in.poolAttemptsPerSecond() * in.subsidy() * (1 - in.donationPercent() / 100);
            if (expectedPayout < in.dustThreshold()) {
                BigInteger attempts = Targets.attempts(in.blockTarget()).multiply(BigInteger.valueOf(P2poolNetwork.SPREAD))
                        .multiply(BigInteger.valueOf(in.dustThreshold())).divide(BigInteger.valueOf(in.subsidy()));
                desired = desired.min(averageAttemptsToTarget(attempts));
            }
        }
        return desired.equals(MAX) ? net.maxTarget() : roundDown(desired); // no rule applies: the easiest, as before
    }

    /** The target at which a share takes {@code attempts} hashes on average: 2^256 / attempts - 1, within [0, 2^256 - 1]. */
    static BigInteger averageAttemptsToTarget(BigInteger attempts) {
        if (attempts.signum() <= 0) {
            return MAX;
        }
        BigInteger t = Targets.TWO_256.divide(attempts).subtract(BigInteger.ONE);
        return t.signum() < 0 ? BigInteger.ZERO : t.min(MAX);
    }

    static BigInteger averageAttemptsToTarget(double attempts) {
        return attempts >= 1 && Double.isFinite(attempts) ? averageAttemptsToTarget(new BigDecimal(attempts).toBigInteger()) : MAX;
    }

    /** Keeps the four most significant bits. */
    static BigInteger roundDown(BigInteger t) {
        int drop = t.bitLength() - 4;
        return drop <= 0 ? t : t.shiftRight(drop).shiftLeft(drop);
    }
}
