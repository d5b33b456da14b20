package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.Map;

/**
 * The result of a PPLNS walk (protocol spec 8): weight per payout key, the total, and the weight
 * that goes to the donation output. Always {@code total == sum(weights) + donationWeight}.
 */
public record PplnsWeights(Map<String, BigInteger> weights, BigInteger total, BigInteger donationWeight) {
    public PplnsWeights {
        weights = Map.copyOf(weights);
    }
}
