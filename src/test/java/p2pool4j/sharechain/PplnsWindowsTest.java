package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.testutil.Vectors;

/** The incremental PPLNS of the tracker equals the plain walk for every query pattern. */
class PplnsWindowsTest {
    @Test
    void equalsTheWalkOnTheRegtestChainInChainOrderAndAtRandom() throws Exception {
        List<Share> shares = ShareCheckTest.chainShares();
        Tracker tracker = new Tracker(P2poolNetwork.REGTEST);
        MemoryChain plain = new MemoryChain(List.of());
        Random rnd = new Random(7);
        BigInteger[] desired = {Pplns.desiredWeight(shares.get(0).blockTarget()), Pplns.desiredWeight(P2poolNetwork.REGTEST.maxTarget()),
            Pplns.W65535.multiply(BigInteger.valueOf(1000))};
        int queries = 0;
        for (int i = 0; i < shares.size(); i++) {
            tracker.add(shares.get(i), 0, null);
            plain.add(shares.get(i));
            for (int q = 0; q < 3; q++) {
                int back = q == 0 ? 0 : q == 1 ? Math.min(1, i) : rnd.nextInt(i + 1);
                Sha256Hash start = shares.get(i - back).hash();
                int max = q == 2 ? rnd.nextInt(400) : Math.max(0, Math.min(tracker.height(start) + 1, 360) - 1);
                BigInteger d = desired[rnd.nextInt(desired.length)];
                assertEquals(Pplns.weights(plain, start, max, d), tracker.pplns(start, max, d), "share " + i + " query " + q);
                queries++;
            }
        }
        assertEquals(1380, queries);
    }

    @Test
    void equalsTheWalkOnTheSyntheticChainAndAfterRemovals() {
        List<ChainShare> chain = SyntheticShare.chain(Vectors.load("weights.json").get("chain_oldest_first"));
        Tracker tracker = new Tracker(P2poolNetwork.MAIN);
        MemoryChain plain = new MemoryChain(chain);
        chain.forEach(s -> tracker.add(s, 0, null));
        BigInteger d = new BigInteger("16888240904404995");
        for (int i = 0; i < chain.size(); i++) {
            for (int max = 0; max < 26; max += 5) {
                Sha256Hash start = chain.get(i).hash();
                assertEquals(Pplns.weights(plain, start, max, d), tracker.pplns(start, max, d));
            }
        }
        for (int i = chain.size() - 1; i >= 0; i--) { // stepping back, as verification from a head does
            Sha256Hash start = chain.get(i).hash();
            assertEquals(Pplns.weights(plain, start, 20, d), tracker.pplns(start, 20, d), "back " + i);
        }
        tracker.remove(chain.get(3).hash());
        plain.remove(chain.get(3).hash());
        Sha256Hash head = chain.get(chain.size() - 1).hash();
        assertEquals(Pplns.weights(plain, head, 24, d), tracker.pplns(head, 24, d));
    }
}
