package p2pool4j.sharechain;

import java.math.BigInteger;
import java.util.List;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * share_info (fields 6-22): what a verifier rebuilds and compares. {@code segwitData} is null for
 * versions without it on this network; {@code farShareHash} null when absent; the two tx lists
 * are empty for v34+.
 */
public record ShareInfo(ShareData shareData, SegwitData segwitData, List<Sha256Hash> newTransactionHashes,
        List<TxRef> transactionHashRefs, Sha256Hash farShareHash, long maxBits, long bits, long timestamp,
        long absheight, BigInteger abswork) {

    public ShareInfo {
        newTransactionHashes = List.copyOf(newTransactionHashes);
        transactionHashRefs = List.copyOf(transactionHashRefs);
    }
}
