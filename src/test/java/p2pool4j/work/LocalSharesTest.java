package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.sharechain.ChainShare;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.Tracker;

/** Where our shares end up: in the best chain, orphaned, or dead (built on stale work); reported once per change. */
class LocalSharesTest {
    record Plain(Sha256Hash hash, Sha256Hash previousHash, long absheight) implements ChainShare {
        public BigInteger target() {
            return P2poolNetwork.REGTEST.maxTarget();
        }

        public BigInteger maxTarget() {
            return P2poolNetwork.REGTEST.maxTarget();
        }

        public long timestamp() {
            return 1_700_000_000L + absheight * 30;
        }

        public String payoutKey() {
            return "k";
        }

        public int donation() {
            return 0;
        }

        public long desiredVersion() {
            return 35;
        }

        public int version() {
            return 35;
        }

        public BigInteger abswork() {
            return BigInteger.valueOf(absheight);
        }
    }

    private static Sha256Hash h(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        return Sha256Hash.wrap(b);
    }

    private static Map<String, String> byHash(List<LocalShares.Change> changes) {
        return changes.stream().collect(Collectors.toMap(LocalShares.Change::hash, LocalShares.Change::status));
    }

    @Test
    void sharesAreJudgedAgainstTheBestChainAndReportedOncePerChange() {
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        // a <- b <- c is the best chain; d is a sibling of c; e was dropped before reaching the tracker.
        t.add(new Plain(h(1), null, 1), 0, "peer");
        t.add(new Plain(h(2), h(1), 2), 0, "local");
        t.add(new Plain(h(3), h(2), 3), 0, "peer");
        t.add(new Plain(h(4), h(2), 3), 0, "local");
        LocalShares ours = new LocalShares();
        long now = 1_000_000;
        ours.add(new LocalShares.Local(h(2), "rig", false, now - 300_000));
        ours.add(new LocalShares.Local(h(4), "rig", false, now - 1_000));
        ours.add(new LocalShares.Local(h(5), "rig", true, now - 300_000));

        Map<String, String> first = byHash(ours.statusChanges(t, h(3), now, 120_000));
        assertEquals("in_chain", first.get(h(2).toDisplayHex()));
        assertEquals("pending", first.get(h(4).toDisplayHex()), "too young to call an orphan");
        assertEquals("pending", first.get(h(5).toDisplayHex()), "never in the tracker: stays as first reported");
        assertTrue(ours.statusChanges(t, h(3), now, 120_000).isEmpty(), "nothing changed, nothing reported");

        Map<String, String> later = byHash(ours.statusChanges(t, h(3), now + 200_000, 120_000));
        assertEquals(Map.of(h(4).toDisplayHex(), "orphan"), later);

        // The fork wins after all: d is now in the chain and c's side is not.
        t.add(new Plain(h(6), h(4), 4), 0, "peer");
        assertEquals(Map.of(h(4).toDisplayHex(), "in_chain"), byHash(ours.statusChanges(t, h(6), now + 300_000, 120_000)));
        assertEquals(new LocalShares.Counts(3, 0, 1), ours.counts(t, h(6)));

        // Days later the tracker prunes b and d: they count as last judged (in the chain), not as orphans.
        t.remove(h(1));
        t.remove(h(2));
        t.remove(h(4));
        assertEquals(new LocalShares.Counts(3, 0, 1), ours.counts(t, h(6)));
        assertTrue(ours.statusChanges(t, h(6), now + 400_000, 120_000).isEmpty(), "pruned shares keep their status");
    }

    /**
     * stale_info as the reference fills it: our next share announces an orphan (253) while more of
     * our shares were orphaned than our shares in the chain announced, then a dead one (254), then none.
     */
    @Test
    void theNextShareAnnouncesLossesNotYetAnnounced() {
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        t.add(new Plain(h(1), null, 1), 0, "peer");
        t.add(new Plain(h(2), h(1), 2), 0, "local");
        t.add(new Plain(h(3), h(1), 2), 0, "local"); // our orphan: sibling of 2
        t.add(new Plain(h(4), h(2), 3), 0, "peer");
        long now = System.currentTimeMillis();
        LocalShares ours = new LocalShares();
        ours.add(new LocalShares.Local(h(2), "rig", false, now, LocalShares.STALE_NONE));
        ours.add(new LocalShares.Local(h(3), "rig", false, now, LocalShares.STALE_NONE));
        assertEquals(LocalShares.STALE_ORPHAN, ours.staleInfo(t, h(4)), "one orphan, none announced");

        // Our next share carried 253 and made it into the chain: the orphan is accounted for.
        t.add(new Plain(h(5), h(4), 4), 0, "local");
        ours.add(new LocalShares.Local(h(5), "rig", false, now, LocalShares.STALE_ORPHAN));
        assertEquals(LocalShares.STALE_NONE, ours.staleInfo(t, h(5)));

        // A dead-on-arrival share we never kept still counts, once.
        ours.droppedDeadOnArrival();
        assertEquals(LocalShares.STALE_DOA, ours.staleInfo(t, h(5)));
        t.add(new Plain(h(6), h(5), 5), 0, "local");
        ours.add(new LocalShares.Local(h(6), "rig", false, now, LocalShares.STALE_DOA));
        assertEquals(LocalShares.STALE_NONE, ours.staleInfo(t, h(6)));
        assertEquals(new LocalShares.Counts(5, 1, 1), ours.counts(t, h(6)));
    }
}
