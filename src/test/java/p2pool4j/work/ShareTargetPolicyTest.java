package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Targets;
import p2pool4j.sharechain.P2poolNetwork;

/**
 * The share difficulty policy (protocol spec 13.3) against figures worked out by hand:
 * a node's shares stay near 1.67 % of the pool's, a small miner's shares are made harder so one
 * is worth more than the dust threshold, and with neither rule the easiest target stands.
 */
class ShareTargetPolicyTest {
    private static final P2poolNetwork NET = P2poolNetwork.MAIN;
    /** A mainnet-like block: difficulty 1e14, so att(block) = 1e14 x 2^32 hashes. */
    private static final BigInteger BLOCK_TARGET = Targets.fromBdiff(1e14);
    private static final long SUBSIDY = 312_500_000L; // 3.125 BTC

    private static ShareTargetPolicy.Inputs inputs(double nodeRate, Map<String, Double> rates, double poolRate, int height) {
        return new ShareTargetPolicy.Inputs(nodeRate, rates, poolRate, height, BLOCK_TARGET, SUBSIDY, 0, NET.chain().dustThreshold());
    }

    /** The target with {@code attempts} hashes a share, as the policy rounds it (four significant bits). */
    private static BigInteger expected(BigInteger attempts) {
        return ShareTargetPolicy.roundDown(Targets.TWO_256.divide(attempts).subtract(BigInteger.ONE));
    }

    @Test
    void aBigNodeGetsHarderSharesSoItMakesAbout1Point67PercentOfThem() {
        // 1 PH/s local: 1e15 x 30 s / 0.0167 = 1.796407e18 hashes a share, by hand.
        BigInteger t = ShareTargetPolicy.desired(inputs(1e15, Map.of(), 0, 0), "addr", NET);
        BigInteger attempts = new java.math.BigDecimal(1e15 * 30 / 0.0167).toBigInteger();
        assertEquals(expected(attempts), t);
        double sharesPerPeriod = 1e15 * 30 / Targets.attempts(t).doubleValue();
        // Rounding the target down (four significant bits) only ever makes shares harder: at most 1.67 %, at least 8/9 of it.
        assertTrue(sharesPerPeriod <= 0.0167 && sharesPerPeriod > 0.0167 * 8 / 9, "about 1.67 % of a share period's one share: " + sharesPerPeriod);
    }

    @Test
    void aSmallMinerGetsSharesWorthMoreThanDust() {
        // Pool 10 PH/s, our address 1 TH/s: 1e12 / 1e16 x 3.125 BTC = 31,250 sat a block, under mainnet's 100,000-sat dust.
        // Dust target: att(block) x SPREAD x 100,000 / 312,500,000 = 1e14 x 2^32 x 3 x 0.00032 hashes a share.
        ShareTargetPolicy.Inputs in = inputs(1e12, Map.of("small", 1e12), 1e16, ShareTargetPolicy.LOOKBEHIND + 1);
        BigInteger dustAttempts = Targets.attempts(BLOCK_TARGET).multiply(BigInteger.valueOf(3)).multiply(BigInteger.valueOf(100_000))
                .divide(BigInteger.valueOf(SUBSIDY));
        assertEquals(expected(dustAttempts), ShareTargetPolicy.desired(in, "small", NET));
        double satoshisAShare = SUBSIDY * Targets.attempts(ShareTargetPolicy.desired(in, "small", NET)).doubleValue()
                / (3 * Targets.attempts(BLOCK_TARGET).doubleValue());
        assertTrue(satoshisAShare >= 100_000, "a share is worth at least the dust threshold over the PPLNS window: " + satoshisAShare);
        // An address paid 10 % of the pool clears dust: only the node-wide cap applies to it.
        ShareTargetPolicy.Inputs big = inputs(1e15, Map.of("big", 1e15), 1e16, ShareTargetPolicy.LOOKBEHIND + 1);
        assertEquals(expected(new java.math.BigDecimal(1e15 * 30 / 0.0167).toBigInteger()), ShareTargetPolicy.desired(big, "big", NET));
    }

    @Test
    void theDustRuleWaitsForAnHourOfShares() {
        ShareTargetPolicy.Inputs young = inputs(0, Map.of("small", 1e12), 1e16, ShareTargetPolicy.LOOKBEHIND);
        assertEquals(NET.maxTarget(), ShareTargetPolicy.desired(young, "small", NET), "no rule applies: the easiest target");
    }

    @Test
    void perGenerationTargetsCoverAddressesWithoutARate() {
        ShareTargetPolicy.Inputs in = inputs(1e12, Map.of("small", 1e12), 1e16, 200);
        ShareTargetPolicy.Targets256 t = ShareTargetPolicy.targets(in, NET);
        assertEquals(ShareTargetPolicy.desired(in, "small", NET), t.target("small", NET.maxTarget()));
        assertEquals(ShareTargetPolicy.desired(in, null, NET), t.target("never-seen", NET.maxTarget()), "a new address gets the dust rule");
        assertEquals(NET.maxTarget(), ShareTargetPolicy.Targets256.NONE.target("x", NET.maxTarget()));
    }
}
