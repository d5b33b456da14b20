package p2pool4j.work;

import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoind.Template;

/**
 * The chain tip a miner's solution is judged against ({@link NodeSnapshot} is one): the block
 * miners build on now, and the templates on it whose transactions a found block needs. A job
 * names its template by serial instead of holding it, so the transactions of tips gone by are
 * not kept alive by the jobs still in sessions' histories: a block on them would be stale anyway.
 */
public interface Tip {
    /** What miners build on now; null before the first template. */
    Sha256Hash previousBlock();

    /** The template with this serial while it is on the current tip and among its newest; else null. */
    Template blockTemplate(long serial);
}
