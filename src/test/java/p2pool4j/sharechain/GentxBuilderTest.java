package p2pool4j.sharechain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import p2pool4j.bitcoin.ByteReader;
import p2pool4j.bitcoin.Hex;
import p2pool4j.bitcoin.Sha256Hash;
import p2pool4j.bitcoin.TxOut;
import p2pool4j.testutil.Vectors;

/** Section 7: the generation transaction byte for byte, against gentx.json and every share of the regtest chain. */
class GentxBuilderTest {
    private static final JsonNode V = Vectors.load("gentx.json");

    @Test
    void gentxVectors() {
        MemoryChain chain = new MemoryChain(SyntheticShare.chain(V.get("chain")));
        int n = 0;
        for (JsonNode r : V.get("results")) {
            ShareVersion v = ShareVersion.of(r.get("share_version").asInt());
            JsonNode in = r.get("inputs");
            String at = r.get("desc").asText() + " v" + v.number();
            List<Sha256Hash> refBranch = new ArrayList<>();
            in.get("ref_merkle_link").get("branch").forEach(b -> refBranch.add(SyntheticShare.hashOf(b)));
            long nonce = Long.parseUnsignedLong(in.get("last_txout_nonce").asText());
            BigInteger blockTarget = new BigInteger(in.get("block_target").asText());
            if (r.has("error")) {
                String addr = in.get("share_data").get("address").asText();
                assertThrows(p2pool4j.bitcoin.ParseException.class,
                        () -> PayoutScripts.script(addr, v.paddingFix(), P2poolNetwork.MAIN.chain()), at);
                continue;
            }
            JsonNode out = r.get("outputs");
            ShareInfo info = ShareCodec.readShareInfo(new ByteReader(Hex.decode(out.get("share_info_hex").asText())), v, P2poolNetwork.MAIN);
            GeneratedTx g = GentxBuilder.build(P2poolNetwork.MAIN, v, info, blockTarget, chain, refBranch, nonce,
                    info.shareData().address());
            assertEquals(out.get("ref_hash_hex").asText(), g.refHash().toWireHex(), at);
            assertEquals(out.get("gentx_hex").asText(), Hex.encode(g.tx().serialize(true)), at);
            assertEquals(out.get("gentx_stripped_hex").asText(), Hex.encode(g.tx().serialize(false)), at);
            assertEquals(out.get("gentx_txid_display").asText(), g.txid().toDisplayHex(), at);
            assertEquals(out.get("hash_link").get("wire_hex").asText(),
                    Hex.encode(g.hashLink().state()) + Hex.encode(new p2pool4j.bitcoin.ByteWriter().varint(g.hashLink().length()).toByteArray()), at);
            List<TxOut> outs = g.tx().outputs();
            JsonNode eo = out.get("gentx_outputs");
            assertEquals(eo.size(), outs.size(), at);
            for (int i = 0; i < outs.size(); i++) {
                assertEquals(Long.parseLong(eo.get(i).get("value").asText()), outs.get(i).value(), at);
            }
            assertEquals(g.txid(), HashLinks.gentxHash(g.hashLink(), g.refHash(), nonce), at);
            n++;
        }
        assertEquals(11, n);
    }

    @Test
    void rebuildingEveryRegtestShareReproducesItsGentxHash() throws Exception {
        MemoryChain chain = new MemoryChain(List.of());
        int n = 0;
        for (JsonNode s : ShareCodecTest.CHAIN.get("shares")) {
            Share share = ShareCodecTest.load(s);
            chain.add(share);
            GeneratedTx g = GentxBuilder.build(P2poolNetwork.REGTEST, share.shareVersion(), share.shareInfo(), share.blockTarget(),
                    chain, share.contents().refMerkleBranch(), share.contents().lastTxoutNonce(), share.payoutKey());
            assertEquals(share.gentxHash(), g.txid(), "share " + s.get("index"));
            if (s.has("gentx_hex")) {
                assertEquals(s.get("gentx_hex").asText(), Hex.encode(g.tx().serialize(true)), "share " + s.get("index"));
            }
            n++;
        }
        assertEquals(460, n);
    }
}
