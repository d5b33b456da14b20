package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Address;
import p2pool4j.bitcoin.ChainParams;
import p2pool4j.bitcoin.Hashes;
import p2pool4j.bitcoin.Sha256Hash;

/**
 * Chain choice with parent-chain heights (protocol spec 12.2 step 4): two full-length chains
 * with separate verified tails and the same work, whose far ends build on different Bitcoin
 * blocks. The score is the chain's work per parent-chain time since its far end, so the chain
 * whose far end sits on the more recent block wins; swap the heights and the other does.
 */
class ForkScoringTest {
    private static final P2poolNetwork NET = P2poolNetwork.simulation(32);
    private static final long TIME = 1_700_000_000L;
    private static final String PAYEE = Address.p2pkh(Hashes.hash160("fork".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            ChainParams.REGTEST).text();
    private static final Sha256Hash RECENT = Hashes.hash256(new byte[] {1});
    private static final Sha256Hash OLD = Hashes.hash256(new byte[] {2});

    private static Share grow(Tracker t, Sha256Hash parent, Sha256Hash block, int i, long seen) throws ShareException {
        ShareProducer.Inputs in = new ShareProducer.Inputs(parent, 0x20000000L, block, 0x207fffffL, new byte[] {2, 1, 0}, PAYEE,
                312_500_000L, 0, 0, NET.maxTarget(), TIME + 30L * i, List.of(), List.of(), i);
        ShareProducer.Job job = ShareProducer.prepare(NET, t, in, ShareVersion.V35);
        for (long nonce = 0;; nonce++) {
            try {
                Share s = job.solve(i, job.blockVersion(), TIME + 30L * i, nonce);
                t.add(s, seen, null);
                t.markVerified(s.hash());
                return s;
            } catch (ShareException missed) {
                // about half the nonces miss even the easiest target
            }
        }
    }

    /**
     * Two chains of 35 shares, the first on {@link #OLD}, the second on {@link #RECENT}; each one's
     * genesis is then forgotten, as a downloaded chain's far end is, so each has a verified tail
     * of its own (two genesis chains would share the empty tail and be compared by work alone).
     */
    private static Sha256Hash[] chains(Tracker t) throws ShareException {
        Sha256Hash[] heads = new Sha256Hash[2];
        Sha256Hash[] blocks = {OLD, RECENT};
        for (int c = 0; c < 2; c++) {
            Sha256Hash genesis = null;
            Sha256Hash head = null;
            for (int i = 0; i < 35; i++) {
                head = grow(t, head, blocks[c], i, c + 1).hash();
                if (i == 0) {
                    genesis = head;
                }
            }
            t.remove(genesis);
            heads[c] = head;
        }
        return heads;
    }

    @Test
    void theChainOnTheMoreRecentBlockWins() throws ShareException {
        Tracker t = new Tracker(NET);
        Sha256Hash[] heads = chains(t);
        assertEquals(heads[1], t.think(TIME + 30L * 40, Map.of(OLD, -5, RECENT, 0)::get).best(), "the chain on the recent block");
    }

    @Test
    void swapTheHeightsAndTheOtherWins() throws ShareException {
        Tracker t = new Tracker(NET);
        Sha256Hash[] heads = chains(t);
        assertEquals(heads[0], t.think(TIME + 30L * 40, Map.of(OLD, 0, RECENT, -5)::get).best(), "now the first chain's block is recent");
    }
    /**
     * Step 5 ignores a head's newest 5 shares: while a chain is at most 5 shares long every head ranks
     * the same (work 0), and the first seen wins even against a longer branch; past 5 the longer wins.
     */
    @Test
    void shortBranchesTieAndTheFirstSeenWinsUntilOneIsLongerThanFive() throws ShareException {
        Tracker t = new Tracker(NET);
        Sha256Hash genesis = grow(t, null, RECENT, 0, 1).hash();
        Sha256Hash early = grow(t, genesis, RECENT, 1, 2).hash();
        Sha256Hash late = genesis;
        for (int i = 1; i <= 3; i++) {
            late = grow(t, late, RECENT, 10 + i, 3).hash();
        }
        assertEquals(t.rank(early), t.rank(late), "a 2-share and a 4-share branch rank alike");
        assertEquals(early, t.think(TIME + 30L * 20, h -> 0).best(), "the first seen wins the tie");
        for (int i = 4; i <= 6; i++) {
            late = grow(t, late, RECENT, 10 + i, 3).hash();
        }
        assertEquals(late, t.think(TIME + 30L * 20, h -> 0).best(), "7 shares: its 5th ancestor's work counts");
    }
}
