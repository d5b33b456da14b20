package p2pool4j.work;

import java.math.BigInteger;
import java.util.List;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.BlockHeader;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;
import p2pool4j.bitcoin.Transaction;
import p2pool4j.bitcoind.Template;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.ShareException;

/**
 * Where a miner's solution becomes a pseudo-share, a share and/or a block. Pure apart from the
 * hashing; runs on the connection's event loop (a few SHA-256 blocks). The caller submits a block
 * to bitcoind before anything else, then hands a share to the node.
 */
public final class SubmitCheck {
    /**
     * What one solution turned out to be. {@code share} and {@code block} are null when not met.
     * {@code blockUnbuilt}: the hash meets the block target on the current tip, but the job's template
     * is no longer held ({@link Tip#blockTemplate}), so no block could be assembled: never expected, always reported.
     */
    public record Outcome(SubmitResult result, Sha256Hash hash, Share share, Block block, boolean stale, double achievedDifficulty,
            boolean blockUnbuilt) {}

    private SubmitCheck() {}

    /**
     * @param extranonce     the 8 bytes of last_txout_nonce (extranonce1 || extranonce2)
     * @param pseudoTarget   the session target in force for this job (the easier of when sent and now)
     * @param tip          what the node mines on now (stale when the job's previous block differs) and its templates
     */
    public static Outcome check(Job job, byte[] extranonce, long version, long ntime, long nonce, BigInteger pseudoTarget, Tip tip) {
        long lastTxoutNonce = new ByteReader(extranonce).u64le();
        Sha256Hash merkleRoot = job.share().merkleRoot(lastTxoutNonce);
        BlockHeader header = new BlockHeader(version, job.previousBlock(), merkleRoot, ntime, job.bits(), nonce);
        Sha256Hash hash = header.hash();
        BigInteger h = hash.toBigInteger();
        double achieved = Targets.bdiff(h);
        Sha256Hash currentPrevious = tip.previousBlock();
        boolean stale = currentPrevious != null && !currentPrevious.equals(job.previousBlock());
        Block block = null;
        boolean unbuilt = false;
        if (!stale && h.compareTo(job.blockTarget()) <= 0) {
            Template t = tip.blockTemplate(job.templateSerial());
            if (t != null) {
                block = job.share().block(header, lastTxoutNonce, transactions(t));
            } else {
                unbuilt = true;
            }
        }
        Share share = null;
        if (h.compareTo(job.shareTarget()) <= 0) {
            try {
                share = job.share().solve(lastTxoutNonce, version, ntime, nonce);
            } catch (ShareException e) {
                share = null; // cannot happen for a hash under the share target; a bug would show as a missing share
            }
        }
        SubmitResult r = stale ? SubmitResult.STALE : h.compareTo(pseudoTarget) <= 0 || share != null || block != null
                ? SubmitResult.ACCEPTED : SubmitResult.LOW_DIFFICULTY;
        return new Outcome(r, hash, share, block, stale, achieved, unbuilt);
    }

    /** The template's transactions, parsed, for assembling a found block (rare: not worth keeping parsed). */
    private static List<Transaction> transactions(Template t) {
        return t.transactions().stream().map(tx -> Transaction.parse(tx.data())).toList();
    }
}
