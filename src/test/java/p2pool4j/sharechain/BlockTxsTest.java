package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Merkle;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.WitnessCommitment;

class BlockTxsTest {
    private static List<Sha256Hash> ids(String tag, int n) {
        List<Sha256Hash> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Hashes.hash256((tag + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        return out;
    }

    @Test
    void anyGentxFoldedWithTheBranchGivesTheBlocksMerkleRoot() {
        for (int n : new int[] {0, 1, 2, 3, 7, 3000}) {
            BlockTxs txs = BlockTxs.of(ids("tx", n), ids("wtx", n));
            for (Sha256Hash gentx : ids("gentx" + n, 2)) {
                List<Sha256Hash> all = new ArrayList<>(List.of(gentx));
                all.addAll(txs.txids());
                assertEquals(Merkle.root(all), Merkle.fold(gentx, txs.txidBranch(), 0), n + " transactions");
                List<Sha256Hash> allW = new ArrayList<>(List.of(gentx));
                allW.addAll(txs.wtxids());
                assertEquals(Merkle.root(allW), Merkle.fold(gentx, txs.wtxidBranch(), 0), n + " transactions");
            }
            assertEquals(WitnessCommitment.wtxidRoot(txs.wtxids()), txs.wtxidRoot());
        }
    }
}
