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
 */
public record FoundBlock(String hash, long height, long rewardSat, String finder, long timeMillis, String shareHash, String verdict) {
    public FoundBlock withVerdict(String v) {
        return new FoundBlock(hash, height, rewardSat, finder, timeMillis, shareHash, v);
    }
}
