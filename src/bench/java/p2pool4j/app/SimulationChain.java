package p2pool4j.app;

import java.nio.file.Path;
import p2pool4j.sharechain.P2poolNetwork;

/** The stored chain a {@link SimulationService} node starts from (built in the harness's JVM). */
public final class SimulationChain {
    private SimulationChain() {}

    /**
     * Builds a chain of {@code n} mainnet-shaped shares on the simulation network (60 payees and
     * the 12-hash merkle branches of 3,000-transaction templates, as {@code bench sharechain --txs
     * 3000} does) and stores it in the datadir's database, as a node that mined it would
     * have left it; returns seconds taken.
     */
    public static double store(Path datadir, int n) throws Exception {
        long t0 = System.nanoTime();
        P2poolNetwork net = P2poolNetwork.simulation(P2poolNetwork.MAIN.chainLength());
        java.util.List<p2pool4j.sharechain.Share> shares = BenchCommand.extend(net, new p2pool4j.sharechain.Tracker(net), null, n,
                BenchCommand.fakeTxids(3000));
        java.nio.file.Files.createDirectories(datadir);
        try (p2pool4j.stats.Database db = p2pool4j.stats.Database.open(datadir)) {
            new p2pool4j.stats.ShareStore(db, net.name()).add(shares, 0).get();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
