package p2pool4j.work;

import java.math.BigInteger;
import java.util.List;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.ShareProducer;

/**
 * Work for miners: a share template for one payout address in one work generation, and the block
 * template it sits on. Immutable, shared by every session mining for that address; each session
 * adds its own extranonce (the 8-byte last_txout_nonce: 4 bytes extranonce1, 4 bytes extranonce2).
 *
 * @param generation the node's work counter when this job was made (DOA if it moved on since)
 */
public record Job(long generation, ShareProducer.Job share, Template template, String payoutAddress, long createdSeconds) {
    public Sha256Hash previousBlock() {
        return share.previousBlock();
    }

    public BigInteger blockTarget() {
        return share.blockTarget();
    }

    public BigInteger shareTarget() {
        return share.shareTarget();
    }

    /** Block header version for miners: BIP320 general-purpose bits cleared so version rolling composes (miner spec 3.3). */
    public long version() {
        return share.blockVersion() & ~VersionRolling.SERVER_MASK;
    }

    public long bits() {
        return share.blockBits();
    }

    public long ntime() {
        return Math.max(template.curTime(), template.minTime());
    }

    /** The template's transactions, parsed, for assembling a found block. */
    public List<Transaction> transactions() {
        return template.transactions().stream().map(t -> Transaction.parse(t.data())).toList();
    }
}
