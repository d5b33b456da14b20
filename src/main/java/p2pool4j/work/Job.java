package p2pool4j.work;

import java.math.BigInteger;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.ShareProducer;

/**
 * Work for miners: a share template for one payout address in one work generation, and what it
 * needs of the block template it sits on. Immutable, shared by every session mining for that
 * address; each session adds its own extranonce (the 8-byte last_txout_nonce: 4 bytes extranonce1,
 * 4 bytes extranonce2). The template's transactions are not held here but looked up by
 * {@code templateSerial} when a block is found ({@link Tip}): sessions keep 16 jobs each and getwork
 * keeps its work 5 minutes, and holding a mainnet template (1-4 MB) in every one of them pinned one
 * per work generation.
 *
 * @param generation     the node's work counter when this job was made (DOA if it moved on since)
 * @param templateSerial the node's number for the block template this job was built from
 * @param height         the block's height
 * @param coinbaseValue  satoshis the block's coinbase claims (subsidy and the template's fees)
 * @param segwit         whether the template's rules include segwit (how the block is sent)
 * @param ntime          the header time miners start from: the template's curtime, at least its mintime
 */
public record Job(long generation, ShareProducer.Job share, long templateSerial, long height, long coinbaseValue, boolean segwit,
        long ntime, String payoutAddress, long createdSeconds) {

    public static Job of(long generation, ShareProducer.Job share, long templateSerial, Template t, String payoutAddress,
            long createdSeconds) {
        return new Job(generation, share, templateSerial, t.height(), t.coinbaseValue(), t.segwitActive(),
                Math.max(t.curTime(), t.minTime()), payoutAddress, createdSeconds);
    }

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
}
