package p2pool4j.sharechain;

import java.util.List;
import p2pool4j.bitcoin.Sha256Hash;

/** segwit_data: the branch of the coinbase over the block's txids, and the wtxid merkle root. */
public record SegwitData(List<Sha256Hash> txidMerkleBranch, Sha256Hash wtxidMerkleRoot) {
    public static final SegwitData EMPTY = new SegwitData(List.of(), Sha256Hash.ZERO);

    public SegwitData {
        txidMerkleBranch = List.copyOf(txidMerkleBranch);
    }
}
