package p2pool4j.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Script;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Targets;
import p2pool4j.sharechain.P2poolNetwork;
import p2pool4j.sharechain.PplnsWeights;
import p2pool4j.sharechain.Share;
import p2pool4j.sharechain.Tracker;
import p2pool4j.testutil.Vectors;

/** The pool figures of the web endpoints, on the reference's real regtest chain. */
class ChainStatsTest {
    static List<Share> chainShares() throws Exception {
        List<Share> out = new ArrayList<>();
        for (JsonNode s : Vectors.load("chain_regtest.json").get("shares")) {
            out.add(Share.loadWrapped(P2poolNetwork.REGTEST, Hex.decode(s.get("wire_hex").asText())));
        }
        return out;
    }

    @Test
    void poolFiguresOfTheRealChain() throws Exception {
        List<Share> shares = chainShares();
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        for (Share s : shares) {
            t.add(s, 0, "peer");
        }
        Share best = shares.get(shares.size() - 1);
        Sha256Hash h = best.hash();

        // Attempts per second: the work above the 99th ancestor over the timestamp span, as the reference.
        BigInteger work = BigInteger.ZERO;
        for (int i = 0; i < 99; i++) {
            work = work.add(shares.get(shares.size() - 1 - i).work());
        }
        long span = Math.max(1, best.timestamp() - shares.get(shares.size() - 100).timestamp());
        assertEquals(work.doubleValue() / span, ChainStats.attemptsPerSecond(t, h, 100), 1e-6);

        // Stale proportion: stales / (lookbehind + stales), split by kind.
        int orphan = 0;
        int doa = 0;
        for (int i = 0; i < 200; i++) {
            int info = shares.get(shares.size() - 1 - i).shareInfo().shareData().staleInfo();
            orphan += info == 253 ? 1 : 0;
            doa += info == 254 ? 1 : 0;
        }
        double[] kinds = ChainStats.staleBreakdown(t, h, 200);
        assertEquals((double) orphan / (200 + orphan + doa), kinds[0], 1e-12);
        assertEquals((double) doa / (200 + orphan + doa), kinds[1], 1e-12);

        // Version votes: fractions of the work, summing to 1; the chain votes 34 then 35.
        Map<Long, Double> votes = ChainStats.desiredVersionFractions(t, h, 200);
        assertEquals(1.0, votes.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertTrue(votes.containsKey(35L), votes.toString());

        // /users: fractions of the PPLNS weights; with the donated part they make 1.
        Map<String, Double> users = ChainStats.userFractions(t, h, 100);
        double sum = users.values().stream().mapToDouble(Double::doubleValue).sum();
        PplnsWeights w = t.pplns(h, 100, BigInteger.valueOf(65535).shiftLeft(256));
        assertEquals(1.0, sum + w.donationWeight().doubleValue() / w.total().doubleValue(), 1e-9);

        // Expected payouts: the whole subsidy is paid out, the donation key takes the rounding.
        long subsidy = 5_000_000_000L;
        Map<String, Long> payouts = ChainStats.expectedPayouts(P2poolNetwork.REGTEST, t, h, Targets.fromBits(0x207fffffL), subsidy);
        assertEquals(subsidy, payouts.values().stream().mapToLong(Long::longValue).sum());

        // Recent blocks: exactly the shares that meet their block target, with the BIP34 height of their coinbase.
        List<ChainStats.RecentBlock> blocks = ChainStats.recentBlocks(t, h, shares.size());
        long expected = shares.stream().filter(Share::isBlockSolution).count();
        assertEquals(expected, blocks.size());
        assertTrue(blocks.stream().allMatch(b -> b.height() > 0));
        assertEquals(List.of(shares.get(0).hash()), ChainStats.tails(t), "one chain: its first share");
    }

    @Test
    void bip34Heights() {
        assertEquals(17, ChainStats.bip34Height(Script.pushNumber(17)));
        assertEquals(840_000, ChainStats.bip34Height(Script.pushNumber(840_000)));
        assertEquals(5, ChainStats.bip34Height(Script.pushNumber(5)));
        assertEquals(-1, ChainStats.bip34Height(new byte[0]));
        assertEquals(-1, ChainStats.bip34Height(new byte[] {0x03, 0x01}));
    }
}
