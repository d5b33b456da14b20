package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;

/** Section 12: replaying the real regtest chain reaches the reference's best share, whatever the arrival order. */
class TrackerTest {
    private static final Tracker.BlockHeights NO_BLOCKS = h -> 0;
    /** Just after the vector chain's last share: desired parents older than an hour before it are dropped (12.2 step 7). */
    private static final long NOW = 1_700_020_000L;

    @Test
    void replayInOrderFollowsTheChainToItsLastShare() throws Exception {
        List<Share> shares = ShareCheckTest.chainShares();
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        for (int i = 0; i < shares.size(); i++) {
            t.add(shares.get(i), i, "peer");
            Tracker.Decision d = t.think(NOW, NO_BLOCKS);
            assertTrue(d.bad().isEmpty(), "share " + i + ": " + d.bad());
            assertEquals(shares.get(i).hash(), d.best(), "best after share " + i);
        }
        Share last = shares.get(shares.size() - 1);
        assertEquals(460, t.height(last.hash()));
        assertEquals(460, t.verifiedHeight(last.hash()));
        assertTrue(t.reachesGenesis(last.hash()));
        assertEquals(3500, t.minimumProtocolVersion(), "v35 established: peers below 3500 are too old");
    }

    @Test
    void anyArrivalOrderReachesTheSameBest() throws Exception {
        List<Share> shares = new ArrayList<>(ShareCheckTest.chainShares());
        Share last = shares.get(shares.size() - 1);
        for (long seed : new long[] {1, 2}) {
            List<Share> order = new ArrayList<>(shares);
            if (seed == 1) {
                Collections.reverse(order);
            } else {
                Collections.shuffle(order, new Random(seed));
            }
            Tracker t = new Tracker(P2poolNetwork.REGTEST);
            for (Share s : order) {
                t.add(s, 0, "peer");
            }
            Tracker.Decision d = t.think(NOW, NO_BLOCKS);
            assertTrue(d.bad().isEmpty());
            assertEquals(last.hash(), d.best(), "seed " + seed);
            assertEquals(460, t.height(last.hash()));
            assertEquals(1, t.heads().size());
        }
    }

    @Test
    void aMissingParentIsDesiredAndAnInvalidShareIsDroppedWithItsSource() throws Exception {
        List<Share> shares = ShareCheckTest.chainShares();
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        // The newest 400 shares without the first 60: not rooted, 400 >= CHAIN_LENGTH + 1.
        for (Share s : shares.subList(60, 460)) {
            t.add(s, 0, "peer");
        }
        Tracker.Decision d = t.think(NOW, NO_BLOCKS);
        assertEquals(shares.get(459).hash(), d.best());
        assertFalse(t.reachesGenesis(shares.get(459).hash()));
        assertEquals(shares.get(59).hash(), t.last(shares.get(459).hash()));

        // A shorter fork whose tail is missing: its parent is desired.
        Tracker t2 = new Tracker(P2poolNetwork.REGTEST);
        for (Share s : shares.subList(300, 460)) {
            t2.add(s, 0, "peer");
        }
        Tracker.Decision d2 = t2.think(NOW, NO_BLOCKS);
        assertNull(d2.best());
        assertEquals(List.of(shares.get(299).hash()), d2.desired().stream().map(Tracker.Desired::hash).toList());

        // An invalid share (timestamp == parent's) on top of the chain: removed, its sender reported.
        Tracker t3 = new Tracker(P2poolNetwork.REGTEST);
        for (Share s : shares.subList(0, 251)) {
            t3.add(s, 0, "good");
        }
        t3.think(NOW, NO_BLOCKS);
        Share bad = null;
        for (var c : ShareCodecTest.CHAIN.get("negative_and_edge_cases")) {
            if (c.get("desc").asText().startsWith("timestamp == previous")) {
                bad = Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(c.get("wire_hex").asText()));
            }
        }
        t3.add(bad, 1, "evil");
        Tracker.Decision d3 = t3.think(NOW, NO_BLOCKS);
        assertEquals(1, d3.bad().size());
        assertEquals("evil", d3.bad().get(0).source());
        assertEquals(Rejection.SHARE_INFO_INVALID, d3.bad().get(0).reason().rejection());
        assertFalse(t3.contains(bad.hash()));
        assertEquals(shares.get(250).hash(), d3.best());
    }

    @Test
    void pruningKeepsTwiceTheChainLengthPlusTen() {
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        List<Sha256Hash> hashes = new ArrayList<>();
        Sha256Hash prev = null;
        for (int i = 0; i < 800; i++) {
            Sha256Hash h = p2pool4j.bitcoin.Hashes.hash256(("s" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            t.add(new SyntheticShare(h, prev, P2poolNetwork.REGTEST.maxTarget(), P2poolNetwork.REGTEST.maxTarget(), i, "k", 0, 35, 35,
                    i + 1, java.math.BigInteger.valueOf(i)), 0, null);
            hashes.add(h);
            prev = h;
        }
        List<Sha256Hash> removed = t.prune(NOW);
        assertEquals(hashes.subList(0, 70), removed, "the 70 oldest go");
        assertEquals(730, t.size());
        assertEquals(730, t.height(hashes.get(799)));
        assertEquals(hashes.get(69), t.last(hashes.get(799)));
        assertTrue(t.prune(NOW).isEmpty());
    }
}
