package p2pool4j.work;

/**
 * A block our miners found, published when found (verdict "pending") and again when bitcoind has
 * answered.
 *
 * @param hash      block hash, display hex
 * @param rewardSat the template's coinbase value (subsidy + fees), satoshis
 * @param finder    the worker key that found it
 * @param shareHash the share it also is, display hex (null if it was not a share)
 * @param verdict   "pending", "accepted", "rejected: reason" (bitcoind refused it), "not delivered: reason" (bitcoind
 *                  could not be reached until the tip moved on), or "not submitted: reason"
 * @param payoutAddress   the address the finding job paid (the rig's, or the node's)
 * @param paidToPayoutSat what the block's coinbase pays that address (its PPLNS share plus the finder's 0.5 %)
 */
public record FoundBlock(String hash, long height, long rewardSat, String finder, long timeMillis, String shareHash, String verdict,
        String payoutAddress, long paidToPayoutSat) {
    public FoundBlock(String hash, long height, long rewardSat, String finder, long timeMillis, String shareHash, String verdict) {
        this(hash, height, rewardSat, finder, timeMillis, shareHash, verdict, "", 0);
    }

    public FoundBlock withVerdict(String v) {
        return new FoundBlock(hash, height, rewardSat, finder, timeMillis, shareHash, v, payoutAddress, paidToPayoutSat);
    }
}
