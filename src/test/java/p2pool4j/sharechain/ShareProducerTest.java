package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.Block;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.Transaction;

/** Section 13: from the inputs the reference recorded, we build its shares byte for byte. */
class ShareProducerTest {
    private static int stale(JsonNode n) {
        return n.isNull() ? 0 : n.asText().equals("orphan") ? ShareData.STALE_ORPHAN : ShareData.STALE_DOA;
    }

    @Test
    void rebuildsTheReferencesSharesFromTheirInputs() throws Exception {
        List<Share> shares = ShareCheckTest.chainShares();
        int n = 0;
        for (JsonNode s : ShareCodecTest.CHAIN.get("shares")) {
            int index = s.get("index").asInt();
            // Shares 0..29 were made with desired_version forced to 34 (the vector's early votes); the rest vote as a producer does.
            if (!s.has("generate_transaction_inputs") || index < 30) {
                continue;
            }
            Tracker chain = new Tracker(P2poolNetwork.REGTEST);
            for (Share prior : shares.subList(0, index)) {
                chain.add(prior, 0, null);
            }
            JsonNode in = s.get("generate_transaction_inputs");
            JsonNode sd = in.get("share_data");
            JsonNode mh = s.get("decoded").get("min_header");
            List<Sha256Hash> txids = new ArrayList<>();
            List<Sha256Hash> wtxids = new ArrayList<>();
            List<Transaction> txs = new ArrayList<>();
            for (JsonNode raw : in.get("known_txs_hex")) {
                Transaction tx = Transaction.parse(Hex.decode(raw.asText()));
                txs.add(tx);
                txids.add(tx.txid());
                wtxids.add(tx.wtxid());
            }
            Share parent = shares.get(index - 1);
            ShareProducer.Inputs inputs = new ShareProducer.Inputs(parent.hash(), Long.parseLong(mh.get("version").asText()),
                    SyntheticShare.hashOf(mh.get("previous_block")), Long.parseLong(mh.get("bits").get("bits").asText()),
                    Hex.decode(sd.get("coinbase").asText()), sd.get("address").asText(), Long.parseLong(sd.get("subsidy").asText()),
                    sd.get("donation").asInt(), stale(sd.get("stale_info")), new BigInteger(in.get("desired_target").asText()),
                    in.get("desired_timestamp").asLong(), txids, wtxids, Long.parseLong(sd.get("nonce").asText()));
            ShareProducer.Job job = ShareProducer.prepare(P2poolNetwork.REGTEST, chain, inputs);
            assertEquals(s.get("version").asInt(), job.version().number(), "version chosen for share " + index);
            Share built = job.solve(Long.parseUnsignedLong(in.get("last_txout_nonce").asText()), Long.parseLong(mh.get("version").asText()),
                    Long.parseLong(mh.get("timestamp").asText()), Long.parseLong(mh.get("nonce").asText()));
            assertEquals(s.get("wire_hex").asText(), Hex.encode(built.wrapped()), "share " + index);
            ShareCheck.check(built, chain, ShareCheckTest.NOW);
            if (built.isBlockSolution()) {
                Block block = job.block(built, txs);
                assertEquals(built.hash(), block.hash());
                assertEquals(block.header().merkleRoot(), block.computeMerkleRoot());
                assertEquals(built.gentxHash(), block.transactions().get(0).txid());
            }
            n++;
        }
        assertTrue(n >= 14, "rebuilt " + n);
    }

    @Test
    void aNewChainStartsWithV17AndASolutionBelowTheShareTargetIsRefused() {
        Tracker empty = new Tracker(P2poolNetwork.REGTEST);
        String p2pkh = "mzW2hdZN2um7WBvTDerdahKqRgj3md9C29";
        ShareProducer.Inputs in = new ShareProducer.Inputs(null, 0x20000000L, Sha256Hash.ZERO, 0x207fffffL, Hex.decode("0101"), p2pkh,
                5_000_000_000L, 0, 0, P2poolNetwork.REGTEST.maxTarget(), 1_700_000_000L, List.of(), List.of(), 1);
        ShareProducer.Job job = ShareProducer.prepare(P2poolNetwork.REGTEST, empty, in);
        assertEquals(ShareVersion.V17, job.version());
        assertEquals(35, job.shareInfo().shareData().desiredVersion());
        // Grind until a nonce fails the share target (half of them on regtest's easiest target).
        long nonce = 0;
        while (true) {
            try {
                job.solve(7, job.blockVersion(), 1_700_000_000L, nonce);
            } catch (ShareException e) {
                assertEquals(Rejection.POW_INVALID, e.rejection());
                break;
            }
            nonce++;
        }
        assertThrows(IllegalArgumentException.class, () -> ShareProducer.prepare(P2poolNetwork.REGTEST, empty,
                new ShareProducer.Inputs(null, 0x20000000L, Sha256Hash.ZERO, 0x207fffffL, Hex.decode("0101"),
                        "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", 1, 0, 0, BigInteger.ONE, 1, List.of(), List.of(), 1)));
    }

    @Test
    void aV17ChainVerifiesThroughTheTracker() throws Exception {
        Tracker t = new Tracker(P2poolNetwork.REGTEST);
        Sha256Hash best = null;
        long time = 1_700_000_000L;
        for (int i = 0; i < 30; i++) {
            ShareProducer.Inputs in = new ShareProducer.Inputs(best, 0x20000000L, Sha256Hash.ZERO, 0x207fffffL, Hex.decode("0102"),
                    "mzW2hdZN2um7WBvTDerdahKqRgj3md9C29", 5_000_000_000L, 0, 0, P2poolNetwork.REGTEST.maxTarget(), time + 20 * i,
                    List.of(), List.of(), i);
            ShareProducer.Job job = ShareProducer.prepare(P2poolNetwork.REGTEST, t, in);
            assertEquals(ShareVersion.V17, job.version());
            Share s = null;
            for (long nonce = 0; s == null; nonce++) {
                try {
                    s = job.solve(i, job.blockVersion(), time + 20 * i, nonce);
                } catch (ShareException e) {
                    assertEquals(Rejection.POW_INVALID, e.rejection());
                }
            }
            t.add(s, i, null);
            Tracker.Decision d = t.think(time + 20 * i, h -> 0);
            assertTrue(d.bad().isEmpty(), String.valueOf(d.bad()));
            assertEquals(s.hash(), d.best());
            best = s.hash();
        }
        assertEquals(30, t.verifiedHeight(best));
    }
}
