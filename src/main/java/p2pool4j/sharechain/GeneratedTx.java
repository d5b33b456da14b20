package p2pool4j.sharechain;

import java.util.Map;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;

/**
 * A generation transaction as a share commits to it.
 *
 * @param amounts   satoshis per payout key (donation key included)
 * @param refHash   the hash in the ref output
 * @param hashLink  midstate of the stripped gentx before the ref hash
 */
public record GeneratedTx(Transaction tx, Map<String, Long> amounts, Sha256Hash refHash, HashLink hashLink) {
    public Sha256Hash txid() {
        return tx.txid();
    }
}
