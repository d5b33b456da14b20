package p2pool4j.stats;

import java.nio.file.Path;
import java.util.List;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Share;
import p2pool4j.testutil.Vectors;

/** Run in a child JVM by ShareStoreTest: stores the regtest chain in small batches, printing each commit, until killed. */
public final class StoreWriterChild {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(Path.of(args[0]));
        ShareStore store = new ShareStore(db, "regtest");
        List<Share> shares = new java.util.ArrayList<>();
        for (var s : Vectors.load("chain_regtest.json").get("shares")) {
            shares.add(Share.loadWrapped(P2poolNetwork.REGTEST, p2pool4j.bitcoin.Hex.decode(s.get("wire_hex").asText())));
        }
        for (int i = 0; i < shares.size(); i += 5) {
            store.add(shares.subList(i, Math.min(i + 5, shares.size())), i).get();
            System.out.println("committed " + Math.min(i + 5, shares.size()));
            System.out.flush();
            Thread.sleep(20);
        }
        System.out.println("done");
        Thread.sleep(60_000);
    }
}
