package p2pool4j.sharechain;

import java.util.ArrayList;
import java.util.List;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.WitnessCommitment;

/**
 * The transactions a share's block carries after its gentx, and what a share commits to about them:
 * the header's merkle branch for the gentx's slot, the witness root and the wtxid branch. They
 * depend on the block template only, so the node works them out once per template; every job
 * (one per payout address and difficulty) shares them instead of hashing three trees of a
 * mainnet block's ~3,000 ids each. Immutable.
 */
public record BlockTxs(List<Sha256Hash> txids, List<Sha256Hash> wtxids, List<Sha256Hash> txidBranch, Sha256Hash wtxidRoot,
        List<Sha256Hash> wtxidBranch) {
    public BlockTxs {
        txids = List.copyOf(txids);
        wtxids = List.copyOf(wtxids);
        txidBranch = List.copyOf(txidBranch);
        wtxidBranch = List.copyOf(wtxidBranch);
    }

    public static BlockTxs of(List<Sha256Hash> txids, List<Sha256Hash> wtxids) {
        return new BlockTxs(txids, wtxids, branchAfterGentx(txids), WitnessCommitment.wtxidRoot(wtxids), branchAfterGentx(wtxids));
    }

    /** The branch of position 0, where the gentx goes (its id is not needed to work out its branch). */
    private static List<Sha256Hash> branchAfterGentx(List<Sha256Hash> ids) {
        List<Sha256Hash> leaves = new ArrayList<>(ids.size() + 1);
        leaves.add(null);
        leaves.addAll(ids);
        return Merkle.branch(leaves, 0);
    }
}
